import type { Config } from '../config/config';
import type { Directory } from '../directory/directory';
import type { Session } from '../services/session';

export { openSession, type Session } from '../services/session';

export interface Writer {
  write(s: string): unknown;
}

export interface CliIo {
  stdout?: Writer;
  stderr?: Writer;
  /** Defaults to process.env (read once here, at the entry point). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Today (YYYY-MM-DD, Asia/Shanghai) for overdue notes; defaults to the clock. */
  today?: string;
  /** Opens the facade; the default connects lazily to Temporal and opens the store. */
  open?: (config: Config) => Promise<Session>;
}

/** Exit codes: 0 done, 1 bad input or other error, 2 refused by the task, 3 Temporal not reachable, 4 ledger broken. */
export const EXIT = { ok: 0, error: 1, refused: 2, unavailable: 3, ledgerBroken: 4 } as const;

/** What every command group gets: output, today's date, and the lazily opened session. */
export interface CliContext {
  say(s: string): void;
  warn(s: string): void;
  today: string;
  /** The facade and store; opens no connection by itself. */
  getSession(): Promise<Session>;
  /** The session, once Temporal answers (throws TemporalUnavailable otherwise). */
  withTemporal(): Promise<Session>;
  /** Whether a progress bar may be drawn on stderr (a terminal, not a test or a pipe). */
  progressToTty: boolean;
  /** Where relative paths on the command line start. */
  cwd?: string;
  /** The directory the configuration names, read on first use without opening a session. */
  directory(): Directory;
}
