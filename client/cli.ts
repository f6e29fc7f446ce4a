import { Client, Connection } from '@temporalio/client';
import { Command, CommanderError } from 'commander';
import fs from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../app/config';
import { dayOf } from '../domain';
import { openStore, type Store } from '../store';
import { BadInput, CommandRefused, TaskNotFound, TemporalUnavailable } from './errors';
import { createDubanClient, type DubanClient } from './facade';
import { registerCalendarCommands } from './cli-calendar';
import { registerTaskCommands, StoreMissing } from './cli-task';
import { registerAccountabilityCommands } from './cli-accountability';
import { LedgerBroken, registerLedgerCommands } from './cli-ledger';
import { registerRestrictionCommands } from './cli-restriction';
import { registerPlanCommands } from './cli-plan';
import { registerTokenCommands } from './cli-token';
import { createRestrictionClient, type RestrictionClient } from './restrictions';
import { loadDirectory, type Directory } from '../activities/directory';
import { TaskFileError } from './task-file';

export interface Writer {
  write(s: string): unknown;
}

/** What the CLI talks to; tests replace `open` to run without Temporal. */
export interface Session {
  facade: DubanClient;
  /** Where Temporal is expected, for messages. */
  address: string;
  /** Resolves when Temporal answers; rejects with TemporalUnavailable when it does not. */
  ensureTemporal(): Promise<void>;
  /** The whole store, for commands that write to it; without `create`, a missing file is StoreMissing. */
  store?(opts?: { create?: boolean }): Promise<Store>;
  /** The regions' 限批 workflows (live). */
  restrictions?: RestrictionClient;
  /** The directory, read on first use (people's post history for 终身追责). */
  directory?(): Directory;
  close(): Promise<void>;
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

/** The store, opened on first use (commands that only talk to Temporal never touch it). */
function lazyStore(file: string): Pick<Store, 'listTasks' | 'getTask' | 'ledgerFor'> & {
  full(create: boolean): Promise<Store>;
  close(): Promise<void>;
} {
  let opened: Promise<Store> | undefined;
  const get = (create = false) => {
    if (!create && !fs.existsSync(file)) throw new StoreMissing(file);
    opened ??= openStore(file);
    return opened;
  };
  return {
    full: async (create) => get(create),
    listTasks: async (f) => (await get()).listTasks(f),
    getTask: async (id) => (fs.existsSync(file) ? (await get()).getTask(id) : undefined),
    ledgerFor: async (id) => (await get()).ledgerFor(id),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

export async function openSession(config: Config): Promise<Session> {
  const address = config.temporal.address ?? `localhost:${config.temporal.port}`;
  const connection = Connection.lazy({ address, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const store = lazyStore(config.db.file);
  const facade = createDubanClient({ client, taskQueue: config.temporal.taskQueue, store });
  let directory: Directory | undefined;
  return {
    facade,
    address,
    store: async (opts) => store.full(opts?.create ?? false),
    restrictions: createRestrictionClient({ client, taskQueue: config.temporal.taskQueue }),
    directory: () => (directory ??= loadDirectory(config.directoryFile)),
    async ensureTemporal() {
      try {
        await connection.ensureConnected();
      } catch (err) {
        throw new TemporalUnavailable(
          'Temporal 服务器无法连接 / the Temporal server is not reachable',
          'server',
          {
            cause: err,
          },
        );
      }
    },
    async close() {
      await store.close();
      await connection.close();
    },
  };
}

const COMMANDER_ZH: Record<string, string> = {
  'commander.missingMandatoryOptionValue': '缺少必填选项',
  'commander.missingArgument': '缺少参数',
  'commander.optionMissingArgument': '选项缺少取值',
  'commander.unknownOption': '未知选项',
  'commander.unknownCommand': '未知命令',
  'commander.excessArguments': '参数过多',
  'commander.invalidArgument': '参数取值无效',
  'commander.conflictingOption': '选项冲突',
};

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
}

/** The command groups (`duban task …`, …), each registering itself on the program. */
const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerTaskCommands,
  registerCalendarCommands,
  registerRestrictionCommands,
  registerAccountabilityCommands,
  registerLedgerCommands,
  registerPlanCommands,
  registerTokenCommands,
];

/** Runs the `duban` CLI on `argv` (the arguments after the program name); resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  const say = (s: string) => void out.write(s.endsWith('\n') ? s : `${s}\n`);
  const warn = (s: string) => void err.write(s.endsWith('\n') ? s : `${s}\n`);
  const today = io.today ?? dayOf(Date.now());

  let config: Config | undefined;
  let session: Session | undefined;
  const getSession = async () => {
    if (!session) {
      config ??= loadConfig(io.env ?? process.env, io.cwd ?? process.cwd());
      session = await (io.open ?? openSession)(config);
    }
    return session;
  };
  const withTemporal = async () => {
    const s = await getSession();
    await s.ensureTemporal();
    return s;
  };

  const program = new Command('duban')
    .description('督办：政府工作方案任务督办 / duban: task accountability for government work plans')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void out.write(s),
      writeErr: (s) => void err.write(s),
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true);

  const progressToTty = err === process.stderr && process.stderr.isTTY;
  const ctx: CliContext = { say, warn, today, getSession, withTemporal, progressToTty };
  for (const register of COMMAND_GROUPS) register(program, ctx);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    return report(e);
  } finally {
    await session?.close().catch(() => undefined);
  }

  function report(e: unknown): number {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      if (e.code === 'commander.help') return e.exitCode;
      const en = e.message.replace(/^error: /, '');
      const zh = COMMANDER_ZH[e.code];
      warn(zh ? `错误：${zh} / error: ${en}` : `错误 / error: ${en}`);
      warn('用法见 / usage: duban task --help');
      return EXIT.error;
    }
    if (e instanceof LedgerBroken) return EXIT.ledgerBroken;
    if (e instanceof CommandRefused) {
      warn(`已拒绝 / refused: ${e.message}`);
      return EXIT.refused;
    }
    if (e instanceof TemporalUnavailable) {
      const address = session?.address ?? '';
      if (e.what === 'server') {
        warn(
          `无法连接 Temporal 服务器 ${address}：请先在另一个终端运行 npm start 启动 duban（或设置 TEMPORAL_ADDRESS）`,
        );
        warn(
          `the Temporal server at ${address} is not reachable: start duban first with \`npm start\` (or set TEMPORAL_ADDRESS)`,
        );
      } else {
        warn(e.message);
      }
      return EXIT.unavailable;
    }
    if (e instanceof TaskFileError || e instanceof ConfigError || e instanceof StoreMissing) {
      warn(`错误 / error: ${e.message}`);
      return EXIT.error;
    }
    if (e instanceof BadInput || e instanceof TaskNotFound) {
      warn(`错误 / error: ${e.message}`);
      return EXIT.error;
    }
    warn(`出错了 / failed: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.error;
  }
}
