import {
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type SignalDefinition,
} from '@temporalio/common';
import {
  SLUG,
  SUPERVISOR,
  TASK_STATUSES,
  sealCommand,
  type TaskSpec,
  oneOf,
  slugMessage,
  type CommandArgs,
  type CommandName,
  taskWorkflowId,
  type TaskSpecInput,
  type PlannedRung,
  type TaskState,
  type TaskStatus,
  type TaskSummary,
  taskSpecSchema,
} from '../domain';
import type { LedgerEntry, Store } from '../store';
import { SA, startSearchAttributes } from '../workflows/search-attributes';
import {
  TASK_UPDATES,
  TASK_WORKFLOW,
  stateQuery,
  upcomingQuery,
  type TaskWorkflowInput,
} from '../workflows/task-messages';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CommandKey } from '../config/command-key';
import { BadInput, CommandRefused, TaskNotFound, TemporalUnavailable } from './errors';
import { createDutyOps, type DutyOps } from './duties';
import { checkAttachments } from './attachments';
import { checkDepartments } from './task-changes';
import type { Directory } from '../directory/directory';

export { BadInput, CommandRefused, TaskNotFound, TemporalUnavailable } from './errors';

/** The commands a client can send and each one's arguments: the contract's (domain/commands.ts). */
export { COMMAND_NAMES, type CommandArgs, type CommandName } from '../domain';

/** The largest command payload sent to a workflow (JSON, UTF-8). */
export const MAX_COMMAND_BYTES = 128 * 1024;

/** A list filter as the CLI and the HTTP API take it; one set of rules for both. */
export const TaskFilterQuery = z
  .object({
    plan: z
      .string({ error: '应为一个方案编号 / must be one plan id' })
      .regex(SLUG, slugMessage('方案编号', 'a plan id'))
      .optional(),
    status: z.enum(TASK_STATUSES, { error: oneOf('状态', 'status', TASK_STATUSES) }).optional(),
    department: z
      .string({ error: '应为一个单位名称 / must be one department name' })
      .trim()
      .min(1, '不能为空 / must not be empty')
      .max(100, '过长 / too long (max 100)')
      .optional(),
  })
  .strict();
export type TaskFilter = z.infer<typeof TaskFilterQuery>;

export interface StartResult {
  workflowId: string;
  /** False when a task with this id had already been started (nothing is started twice). */
  started: boolean;
}

export type StartProgress = (done: number, total: number, last: StartResult) => void;

export interface SignalAllResult {
  /** Running workflows that received the signal, in the order given. */
  signalled: string[];
  /** Workflows that had already closed (or never ran): nothing to tell, not a failure. */
  closed: string[];
}

export interface DubanClient extends DutyOps {
  /**
   * Starts one workflow per spec, `concurrency` at a time (the client's `startConcurrency` unless given);
   * idempotent on the workflow id. Results come in the order of `specs`.
   */
  startTasks(
    specs: readonly TaskSpecInput[],
    onProgress?: StartProgress,
    opts?: { concurrency?: number },
  ): Promise<StartResult[]>;
  /** Sends a command; resolves with the task's new state or throws CommandRefused / TaskNotFound. */
  command<T extends CommandName>(id: string, type: T, args: CommandArgs[T]): Promise<TaskState>;
  /** The task's live state (a query to its workflow). */
  state(id: string, opts?: { timeoutMs?: number }): Promise<TaskState>;
  /** The rungs still ahead of the task, earliest first; `timeoutMs` bounds the wait (a page cannot wait 30 s). */
  upcoming(id: string, opts?: { timeoutMs?: number }): Promise<PlannedRung[]>;
  /** Tasks as the store's projection holds them. */
  list(filter?: TaskFilter): Promise<TaskSummary[]>;
  /** One task from the store's projection, or undefined. */
  summary(id: string): Promise<TaskSummary | undefined>;
  /** The task's ledger, oldest first. */
  ledger(id: string): Promise<LedgerEntry[]>;
  /** Whether the Temporal server answers (within a short deadline). */
  health(): Promise<'up' | 'down'>;
  /** `plan/id`, `plan/id/region` or a full `task/…` workflow id -> the workflow id. */
  resolveId(id: string): string;
  /** Sends an argument-less signal to each workflow; throws TemporalUnavailable if the server is down. */
  signalAll(workflowIds: readonly string[], signal: SignalDefinition<[]>): Promise<SignalAllResult>;
}

export interface DubanClientOptions {
  client: Client;
  taskQueue: string;
  store: Pick<Store, 'listTasks' | 'getTask' | 'ledgerFor'> &
    // Recurring duties (services/duties.ts); a store without them lists none. Without the attachments
    // table, a command naming files is refused (none can be shown to be the task's).
    Partial<Pick<Store, 'listDuties' | 'upsertDuty' | 'taskAttachments'>>;
  /** How long a command or query may wait for a worker before it is reported as unanswered. */
  callTimeoutMs?: number;
  healthTimeoutMs?: number;
  /** How many workflows startTasks starts at once (config: DUBAN_START_CONCURRENCY). */
  startConcurrency?: number;
  /**
   * Seals every command; tasks are started with its public half and refuse unsealed commands. Without it
   * (tests of the workflows' other rules) tasks start keyless and commands go unsealed.
   */
  commandKey?: CommandKey;
  /** The directory a reassignment's or a split's departments must be in; without it they go unchecked. */
  directory?: () => Directory | undefined;
}

/** `plan/id`, `plan/id/region`, `task/plan/id` or `task/plan/id/region` -> `task/plan/id[/region]`. */
export function resolveTaskId(input: string): string {
  const raw = input.trim().replace(/^\/+|\/+$/g, '');
  const parts = raw.split('/');
  const full = parts[0] === 'task';
  if (full) parts.shift();
  const [plan, id, ...rest] = parts;
  // A full workflow id keeps the rest as its region: one stored with `/` by an older version (before the
  // name rule) stays reachable by its own id; a short id people type has at most three parts.
  const region = rest.length > 0 ? rest.join('/') : undefined;
  const bad = () =>
    new BadInput(
      'id',
      `任务编号应为 方案/编号（如 taierzhuang-2016-water/2-1-1）：${input} / ` +
        `a task id is plan/id or task/plan/id[/region], e.g. taierzhuang-2016-water/2-1-1: ${input}`,
    );
  if ((rest.length > 1 && !full) || !plan || !id || !SLUG.test(plan) || !SLUG.test(id)) throw bad();
  if (region !== undefined && (region.trim() === '' || region.length > 100)) throw bad();
  return taskWorkflowId({ plan, id, region });
}

/** The actor as the workflow knows it: 督查室 is the supervisor role. */
export function normalizeActor(actor: string): string {
  const a = actor.trim();
  return a === '督查室' ? SUPERVISOR : a;
}

/** gRPC status codes that mean "nothing answered" rather than "the server said no". */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
/**
 * What Temporal answers when a workflow cannot take a call just now and nothing was done: the workflow
 * task carrying an update failed or timed out (a worker died holding it: WorkflowNotReady), or the
 * server is shedding load. Asking again shortly is right.
 */
const NOT_NOW = new Set([8 /* RESOURCE_EXHAUSTED */, 9 /* FAILED_PRECONDITION */, 10 /* ABORTED */]);

export function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (isGrpcServiceError(e)) return e.code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isUnreachable(err: unknown): boolean {
  const code = grpcCode(err);
  if (code === UNAVAILABLE) return true;
  return err instanceof Error && /Failed to connect/i.test(err.message);
}

/** The refusal inside a failed update: the ApplicationFailure's message, code and field. */
export function refusalOf(err: WorkflowUpdateFailedError): CommandRefused {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) {
    const detail = (cause.details?.[0] ?? {}) as { code?: unknown; field?: unknown };
    return new CommandRefused(
      cause.message,
      typeof detail.code === 'string' ? detail.code : undefined,
      typeof detail.field === 'string' ? detail.field : undefined,
    );
  }
  return new CommandRefused(cause?.message || '命令未被接受 / the command was not accepted');
}

const CLOSED_TEXT: Partial<Record<TaskStatus, string>> = {
  completed: '任务已办结，不能再操作 / the task is completed; nothing more can be done',
  cancelled: '任务已撤销，不能再操作 / the task is cancelled; nothing more can be done',
};

export function createDubanClient(opts: DubanClientOptions): DubanClient {
  const { client, taskQueue, store, commandKey } = opts;
  const callTimeoutMs = opts.callTimeoutMs ?? 30_000;
  const healthTimeoutMs = opts.healthTimeoutMs ?? 2_000;
  const concurrency = Math.max(1, opts.startConcurrency ?? 8);

  const serverDown = (err: unknown) =>
    new TemporalUnavailable('Temporal 服务器无法连接 / the Temporal server is not reachable', 'server', {
      cause: err,
    });
  const noWorker = (err: unknown) =>
    new TemporalUnavailable(
      `${Math.round(callTimeoutMs / 1000)} 秒内没有 worker 处理，请确认 duban 已启动（npm start）；命令可能在其恢复后执行 / ` +
        `no worker answered within ${Math.round(callTimeoutMs / 1000)} s: is duban running (npm start)? ` +
        'The command may still be carried out when it comes back',
      'worker',
      { cause: err },
    );

  const notNow = (err: unknown) =>
    new TemporalUnavailable(
      '任务流程此刻无法接收（处理它的 worker 刚中断），命令未执行，请稍后重试 / ' +
        "the task's workflow cannot take this just now (the worker handling it went away); " +
        'nothing was done: try again shortly',
      'worker',
      { cause: err },
    );

  /** Calls Temporal under a deadline and turns transport failures into TemporalUnavailable. */
  async function call<R>(fn: () => Promise<R>, timeoutMs = callTimeoutMs): Promise<R> {
    try {
      return await client.withDeadline(Date.now() + timeoutMs, fn);
    } catch (err) {
      if (isUnreachable(err)) throw serverDown(err);
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || grpcCode(err) === DEADLINE_EXCEEDED) {
        throw noWorker(err);
      }
      if (NOT_NOW.has(grpcCode(err) ?? -1)) throw notNow(err);
      throw err;
    }
  }

  const handle = (workflowId: string): WorkflowHandle => client.workflow.getHandle(workflowId);

  /** Why a command on a workflow that is no longer running is refused, or TaskNotFound if there is none. */
  async function closedOrMissing(workflowId: string): Promise<Error> {
    let exists = true;
    try {
      await call(() => handle(workflowId).describe());
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) exists = false;
      else throw err;
    }
    if (!exists) return new TaskNotFound(workflowId);
    const summary = await store.getTask(workflowId);
    const text = summary ? CLOSED_TEXT[summary.status] : undefined;
    return new CommandRefused(
      text ?? '任务流程已结束，不能再操作 / the task has ended; nothing more can be done',
      'closed',
    );
  }

  async function startOne(spec: TaskSpec): Promise<StartResult> {
    const workflowId = taskWorkflowId(spec);
    const typedSearchAttributes = startSearchAttributes(spec);
    const input: TaskWorkflowInput = commandKey ? { spec, commandKey: commandKey.publicKey } : { spec };
    try {
      await call(() =>
        client.workflow.start(TASK_WORKFLOW, {
          args: [input],
          taskQueue,
          workflowId,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes,
        }),
      );
      return { workflowId, started: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
      const detail = String((err as { cause?: { details?: unknown } }).cause?.details ?? '');
      if (/search attribute/i.test(detail)) {
        throw new Error(
          `Temporal 命名空间未注册 duban 的检索属性（npm start 会自动注册） / the namespace lacks duban's search attributes ` +
            `(${Object.values(SA)
              .map((k) => k.name)
              .join(', ')}; npm start registers them): ${detail}`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  return {
    ...createDutyOps({ client, taskQueue, store, commandKey: commandKey?.publicKey, call }),

    resolveId: resolveTaskId,

    async startTasks(specs, onProgress, startOpts) {
      const parsed = specs.map((s, i) => {
        const r = taskSpecSchema().safeParse(s);
        if (r.success) return r.data;
        const iss = r.error.issues[0];
        const field = [`specs[${i}]`, ...iss.path.map(String)].join('.');
        throw new BadInput(field, `${field}: ${iss.message}`);
      });
      const results: StartResult[] = new Array<StartResult>(parsed.length);
      let next = 0;
      let done = 0;
      const runner = async () => {
        while (next < parsed.length) {
          const i = next++;
          results[i] = await startOne(parsed[i]);
          done += 1;
          onProgress?.(done, parsed.length, results[i]);
        }
      };
      const width = Math.max(1, startOpts?.concurrency ?? concurrency);
      await Promise.all(Array.from({ length: Math.min(width, parsed.length) }, runner));
      return results;
    },

    async command(id, type, args) {
      const workflowId = resolveTaskId(id);
      const def = TASK_UPDATES[type];
      if (!def) throw new BadInput('type', `未知命令 ${String(type)} / unknown command ${String(type)}`);
      const payload = checkDepartments(
        type,
        { ...args, actor: normalizeActor(args.actor ?? '') },
        opts.directory?.(),
      );
      // Far above any command's fields (5,000 characters of text at most): refused here, because Temporal
      // would fail the workflow task over an argument near its 2 MB limit instead of refusing the command.
      const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8');
      if (bytes > MAX_COMMAND_BYTES)
        throw new BadInput(
          'args',
          `命令参数过大（${Math.ceil(bytes / 1024)} KiB，最多 ${MAX_COMMAND_BYTES / 1024} KiB） / ` +
            `the command's arguments are too large (${Math.ceil(bytes / 1024)} KiB, at most ${MAX_COMMAND_BYTES / 1024} KiB)`,
        );
      // The files it names must be the task's (uploaded to it) before the task records them.
      const hashes = (payload as { attachments?: unknown }).attachments;
      if (Array.isArray(hashes))
        await checkAttachments(
          store,
          workflowId,
          hashes.filter((h): h is string => typeof h === 'string'),
        );
      // Sealed for this task, this command and this update id; a replayed update id is answered, not rerun.
      const updateId = randomUUID();
      const seal =
        commandKey &&
        sealCommand(commandKey.sign, { workflowId, name: type, updateId, payload }, new Date().toISOString());
      try {
        return await call(() =>
          handle(workflowId).executeUpdate(def, { args: seal ? [payload, seal] : [payload], updateId }),
        );
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) throw refusalOf(err);
        if (err instanceof WorkflowNotFoundError) throw await closedOrMissing(workflowId);
        throw err;
      }
    },

    async state(id, opts) {
      const workflowId = resolveTaskId(id);
      try {
        return await call(() => handle(workflowId).query(stateQuery), opts?.timeoutMs);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new TaskNotFound(workflowId);
        throw err;
      }
    },

    async upcoming(id, opts) {
      const workflowId = resolveTaskId(id);
      try {
        return await call(() => handle(workflowId).query(upcomingQuery), opts?.timeoutMs);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new TaskNotFound(workflowId);
        throw err;
      }
    },

    list: (filter = {}) => store.listTasks(filter),

    summary: (id) => store.getTask(resolveTaskId(id)),

    ledger: (id) => store.ledgerFor(resolveTaskId(id)),

    async health() {
      try {
        await client.withDeadline(Date.now() + healthTimeoutMs, () =>
          client.workflowService.getSystemInfo({}),
        );
        return 'up';
      } catch {
        return 'down';
      }
    },

    async signalAll(workflowIds, signal) {
      const closed = new Set<string>();
      let next = 0;
      const runner = async () => {
        while (next < workflowIds.length) {
          const id = workflowIds[next++];
          try {
            await call(() => handle(id).signal(signal));
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            closed.add(id);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, workflowIds.length) }, runner));
      return { signalled: workflowIds.filter((id) => !closed.has(id)), closed: [...closed] };
    },
  };
}
