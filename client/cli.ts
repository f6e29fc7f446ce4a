import { Client, Connection } from '@temporalio/client';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import fs from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../app/config';
import { dayOf, type TaskState } from '../domain';
import { openStore, type Store } from '../store';
import { BadInput, CommandRefused, TaskNotFound, TemporalUnavailable } from './errors';
import {
  createDubanClient,
  TaskFilterQuery,
  type CommandArgs,
  type CommandName,
  type DubanClient,
  type StartResult,
} from './facade';
import { STATUS_ZH, listTable, parseStatus, shortId, showText, type ShowModel } from './format';
import { TaskFileError, parseTaskFile } from './task-file';

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

/** Exit codes: 0 done, 1 bad input or other error, 2 refused by the task, 3 Temporal not reachable. */
export const EXIT = { ok: 0, error: 1, refused: 2, unavailable: 3 } as const;

class StoreMissing extends Error {
  constructor(readonly file: string) {
    super(
      `找不到数据库 ${file}：请先启动 duban（npm start）并交办任务，或设置 DUBAN_DATA_DIR / DUBAN_DB_URL / ` +
        `no database at ${file}: start duban first (npm start) and start tasks, or set DUBAN_DATA_DIR / DUBAN_DB_URL`,
    );
  }
}

/** The store, opened on first use (commands that only talk to Temporal never touch it). */
function lazyStore(
  file: string,
): Pick<Store, 'listTasks' | 'getTask' | 'ledgerFor'> & { close(): Promise<void> } {
  let opened: Promise<Store> | undefined;
  const get = () => {
    if (!fs.existsSync(file)) throw new StoreMissing(file);
    opened ??= openStore(file);
    return opened;
  };
  return {
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
  return {
    facade,
    address,
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

const COMMAND_DONE: Record<CommandName, string> = {
  acknowledge: '已签收 / acknowledged',
  reportProgress: '已反馈进展 / progress reported',
  submitCompletion: '已提交办结，等待督查室审核 / completion submitted',
  verifyCompletion: '已审核通过，任务办结 / completion verified',
  rejectCompletion: '已退回 / completion sent back',
  cancel: '已撤销 / cancelled',
};

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

function nonEmpty(field: string) {
  return (v: string) => {
    if (v.trim() === '') throw new InvalidArgumentError(`${field} 不能为空 / ${field} must not be empty`);
    return v;
  };
}

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

  const task = program
    .command('task')
    .description('任务：交办、查询、签收、反馈、办结、审核 / tasks: start, list, show and act on them');

  task
    .command('start')
    .description(
      '按任务文件交办任务（重复交办不会重复启动） / start the tasks of a YAML or JSON file (idempotent)',
    )
    .requiredOption('-f, --file <file>', '任务文件（YAML 或 JSON） / task file')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (opts: { file: string; json?: boolean }) => {
      const specs = parseTaskFile(opts.file);
      const s = await withTemporal();
      const stream = process.stderr;
      const useBar = !opts.json && err === stream && stream.isTTY && specs.length > 1;
      const bar = useBar
        ? new SingleBar({ format: '交办中 [{bar}] {value}/{total}', stream, clearOnComplete: true })
        : undefined;
      bar?.start(specs.length, 0);
      let results: StartResult[];
      try {
        results = await s.facade.startTasks(specs, (done) => bar?.update(done));
      } finally {
        bar?.stop();
      }
      if (opts.json) {
        say(JSON.stringify(results, null, 2));
        return;
      }
      for (const r of results) say(`${r.started ? '已交办  ' : '已存在  '} ${shortId(r.workflowId)}`);
      const started = results.filter((r) => r.started).length;
      say(
        `\n共 ${results.length} 项：新交办 ${started} 项，已存在 ${results.length - started} 项（未重复启动） / ` +
          `${results.length} task(s): ${started} started, ${results.length - started} already started`,
      );
    });

  task
    .command('list')
    .description('列出任务（来自数据库） / list tasks (from the database)')
    .option('--json', '输出 JSON / machine-readable output')
    .option('--plan <plan>', '按方案筛选 / filter by plan')
    .addOption(
      new Option(
        '--status <status>',
        `按状态筛选：${Object.entries(STATUS_ZH)
          .map(([k, v]) => `${k}(${v})`)
          .join(' ')}`,
      ).argParser((v) => {
        const s = parseStatus(v);
        if (!s)
          throw new InvalidArgumentError(
            `状态应为 / status must be one of ${Object.keys(STATUS_ZH).join(', ')}`,
          );
        return s;
      }),
    )
    .option('--dept <department>', '按单位（牵头或配合）筛选 / filter by department (lead or cooperating)')
    .action(async (opts: { json?: boolean; plan?: string; status?: string; dept?: string }) => {
      const filter = TaskFilterQuery.safeParse({
        plan: opts.plan,
        status: opts.status,
        department: opts.dept,
      });
      if (!filter.success) {
        const iss = filter.error.issues[0];
        const field = iss.path[0] === 'department' ? '--dept' : `--${String(iss.path[0])}`;
        throw new BadInput(field, `${field}: ${iss.message}`);
      }
      const s = await getSession();
      const tasks = await s.facade.list(filter.data);
      say(opts.json ? JSON.stringify(tasks, null, 2) : listTable(tasks, today));
    });

  task
    .command('show')
    .description('查看任务状态和全部记录 / show a task: its state and ledger timeline')
    .argument('<id>', '任务编号，如 taierzhuang-2016-water/2-1-1 / task id (plan/id)')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const s = await getSession();
      const workflowId = s.facade.resolveId(id);
      let state: TaskState | undefined;
      let liveNote: string | undefined;
      try {
        await s.ensureTemporal();
        state = await s.facade.state(workflowId);
      } catch (e) {
        if (e instanceof TemporalUnavailable) liveNote = e.message;
        else if (!(e instanceof TaskNotFound)) throw e;
      }
      let summary: ShowModel['summary'];
      let ledger: ShowModel['ledger'] = [];
      try {
        summary = await s.facade.summary(workflowId);
        ledger = (await s.facade.ledger(workflowId)) as ShowModel['ledger'];
      } catch (e) {
        if (!(e instanceof StoreMissing) || !state) throw e;
      }
      if (!state && !summary) {
        if (liveNote) throw new TemporalUnavailable(liveNote, 'server');
        throw new TaskNotFound(workflowId);
      }
      if (liveNote)
        warn(
          `（实时状态不可用，显示数据库记录 / live state unavailable, showing the stored record: ${liveNote}）`,
        );
      if (opts.json) {
        say(JSON.stringify({ workflowId, state: state ?? null, summary: summary ?? null, ledger }, null, 2));
        return;
      }
      say(showText({ workflowId, state, summary, ledger }, today));
    });

  const commandAction =
    <T extends CommandName>(type: T, toArgs: (o: Record<string, string>) => CommandArgs[T]) =>
    async (id: string, opts: Record<string, string> & { json?: boolean }) => {
      const s = await getSession();
      const workflowId = s.facade.resolveId(id);
      await s.ensureTemporal();
      const state = await s.facade.command(workflowId, type, toArgs(opts));
      if (opts.json) {
        say(JSON.stringify(state, null, 2));
        return;
      }
      say(`${COMMAND_DONE[type]}：${shortId(workflowId)}`);
      say(`当前状态：${STATUS_ZH[state.status]} (${state.status})`);
    };

  const actOn = (name: string, zh: string) =>
    task
      .command(name)
      .description(zh)
      .argument('<id>', '任务编号，如 taierzhuang-2016-water/2-1-1 / task id (plan/id)')
      .option('--json', '输出任务的新状态 JSON / print the new state as JSON');

  actOn('ack', '签收任务 / acknowledge a task')
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .action(commandAction('acknowledge', (o) => ({ actor: o.as })));
  actOn('report', '反馈进展 / report progress')
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .requiredOption('--note <text>', '进展情况 / what has been done', nonEmpty('--note'))
    .action(commandAction('reportProgress', (o) => ({ actor: o.as, note: o.note })));
  actOn('submit', '提交办结（牵头单位） / submit completion (lead department)')
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .requiredOption('--summary <text>', '办结情况 / what was completed', nonEmpty('--summary'))
    .action(commandAction('submitCompletion', (o) => ({ actor: o.as, summary: o.summary })));
  actOn('verify', '审核通过（督查室） / verify completion (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .option('--note <text>', '审核意见 / note')
    .action(commandAction('verifyCompletion', (o) => ({ actor: o.as, ...(o.note ? { note: o.note } : {}) })));
  actOn('reject', '退回办结（督查室） / send completion back (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption('--reason <text>', '退回理由 / reason', nonEmpty('--reason'))
    .action(commandAction('rejectCompletion', (o) => ({ actor: o.as, reason: o.reason })));
  actOn('cancel', '撤销任务（督查室） / cancel a task (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption('--reason <text>', '撤销理由 / reason', nonEmpty('--reason'))
    .action(commandAction('cancel', (o) => ({ actor: o.as, reason: o.reason })));

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
