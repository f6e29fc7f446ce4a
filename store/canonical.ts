import { createHash } from 'node:crypto';

// One canonical JSON for hashing the ledger and for sealing commands: the domain's.
export { canonicalJson } from '../domain';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
