// Moving an installation between SQLite and PostgreSQL: the store does the copying; the CLI reaches it here.
export { copyStore, CopyError, type CopyProgress, type CopyResult } from '../store';
