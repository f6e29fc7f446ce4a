import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  ApplicationFailure,
  SearchAttributeType,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type SearchAttributePair,
} from '@temporalio/common';
import { BadInput, CommandRefused, TaskNotFound } from '../../services/errors';
import {
  createDubanClient,
  normalizeActor,
  resolveTaskId,
  type DubanClientOptions,
} from '../../services/facade';
import type { TaskSpecInput, TaskSummary } from '../../domain';
import { REJECTED } from '../../workflows/task-messages';

const spec = (id: string): TaskSpecInput => ({
  plan: 'taierzhuang-2016-water',
  id,
  title: `任务 ${id}`,
  lead: ['区环保局', '区水务局'],
  cooperating: ['区发改局'],
  due: '2027-06-30',
});

interface Started {
  type: string;
  workflowId: string;
  workflowIdReusePolicy: unknown;
  taskQueue: string;
  args: unknown[];
  typedSearchAttributes: SearchAttributePair[];
}

/** Just enough of a Temporal Client for the facade's mapping of answers and failures. */
function fakeClient(behaviour: {
  start?: (opts: Started) => void;
  update?: (workflowId: string, name: string, arg: unknown) => unknown;
  describe?: (workflowId: string) => unknown;
}) {
  const started: Started[] = [];
  const updates: { workflowId: string; name: string; arg: unknown }[] = [];
  const client = {
    withDeadline: <R>(_d: number, fn: () => Promise<R>) => fn(),
    workflowService: { getSystemInfo: () => Promise.resolve({}) },
    workflow: {
      start: async (type: string, opts: Omit<Started, 'type'>) => {
        const s = { type, ...opts };
        behaviour.start?.(s);
        started.push(s);
        return {};
      },
      getHandle: (workflowId: string) => ({
        executeUpdate: async (def: { name: string }, opts: { args: unknown[] }) => {
          updates.push({ workflowId, name: def.name, arg: opts.args[0] });
          return behaviour.update?.(workflowId, def.name, opts.args[0]);
        },
        describe: async () => behaviour.describe?.(workflowId),
        query: async () => ({}),
      }),
    },
  };
  return { client: client as unknown as Client, started, updates };
}

const emptyStore = (summary?: Partial<TaskSummary>): DubanClientOptions['store'] => ({
  listTasks: async () => [],
  getTask: async () => summary as TaskSummary | undefined,
  ledgerFor: async () => [],
});

describe('resolveTaskId', () => {
  it('accepts plan/id, plan/id/region and full workflow ids', () => {
    expect(resolveTaskId('taierzhuang-2016-water/2-1-1')).toBe('task/taierzhuang-2016-water/2-1-1');
    expect(resolveTaskId('task/taierzhuang-2016-water/2-1-1')).toBe('task/taierzhuang-2016-water/2-1-1');
    expect(resolveTaskId('p/2-1-2/运河街道')).toBe('task/p/2-1-2/运河街道');
    expect(resolveTaskId(' task/p/x/ ')).toBe('task/p/x');
  });

  it('refuses anything else, naming the id field', () => {
    for (const bad of ['2-1-1', 'task/p', 'p/x/y/z', 'p/has space', '']) {
      expect(() => resolveTaskId(bad)).toThrow(BadInput);
    }
    try {
      resolveTaskId('2-1-1');
    } catch (err) {
      expect((err as BadInput).field).toBe('id');
      expect((err as BadInput).message).toMatch(/^任务编号应为 方案\/编号.* \/ a task id is plan\/id/);
    }
  });

  it('treats 督查室 as the supervisor role', () => {
    expect(normalizeActor(' 督查室 ')).toBe('supervisor');
    expect(normalizeActor('区环保局')).toBe('区环保局');
  });
});

describe('createDubanClient', () => {
  it('starts each task once, with its id, reuse policy and search attributes; a second start is not an error', async () => {
    const seen = new Set<string>();
    const { client, started } = fakeClient({
      start: (s) => {
        if (seen.has(s.workflowId))
          throw new WorkflowExecutionAlreadyStartedError('exists', s.workflowId, s.type);
        seen.add(s.workflowId);
      },
    });
    const facade = createDubanClient({ client, taskQueue: 'duban-q', store: emptyStore() });
    const progress: number[] = [];
    const first = await facade.startTasks([spec('2-1-1'), spec('2-1-2')], (done) => progress.push(done));
    expect(first).toEqual([
      { workflowId: 'task/taierzhuang-2016-water/2-1-1', started: true },
      { workflowId: 'task/taierzhuang-2016-water/2-1-2', started: true },
    ]);
    expect(progress).toEqual([1, 2]);
    const again = await facade.startTasks([spec('2-1-1'), spec('2-1-3')]);
    expect(again).toEqual([
      { workflowId: 'task/taierzhuang-2016-water/2-1-1', started: false },
      { workflowId: 'task/taierzhuang-2016-water/2-1-3', started: true },
    ]);

    const s = started[0];
    expect(s.type).toBe('taskWorkflow');
    expect(s.taskQueue).toBe('duban-q');
    expect(s.workflowIdReusePolicy).toBe('REJECT_DUPLICATE');
    expect((s.args[0] as { spec: { text: string; cooperating: string[] } }).spec).toMatchObject({
      text: '',
      cooperating: ['区发改局'],
    });
    const attrs = Object.fromEntries(s.typedSearchAttributes.map((p) => [p.key.name, p.value]));
    expect(attrs).toEqual({
      DubanPlan: 'taierzhuang-2016-water',
      DubanTask: '2-1-1',
      DubanLead: '区环保局',
      DubanStatus: 'assigned',
      // the end of 2027-06-30 in Asia/Shanghai
      DubanDue: new Date('2027-06-30T15:59:59.999Z'),
    });
    expect(s.typedSearchAttributes.find((p) => p.key.name === 'DubanDue')?.key.type).toBe(
      SearchAttributeType.DATETIME,
    );
  });

  it('refuses an invalid spec before starting anything, naming the field', async () => {
    const { client, started } = fakeClient({});
    const facade = createDubanClient({ client, taskQueue: 'q', store: emptyStore() });
    await expect(facade.startTasks([spec('a'), { ...spec('b'), due: '2027-13-01' }])).rejects.toMatchObject({
      name: 'BadInput',
      field: 'specs[1].due',
    });
    expect(started).toHaveLength(0);
  });

  it('sends a command as its update, with the actor normalised, and returns the new state', async () => {
    const { client, updates } = fakeClient({ update: () => ({ status: 'acknowledged' }) });
    const facade = createDubanClient({ client, taskQueue: 'q', store: emptyStore() });
    await expect(
      facade.command('p/x', 'reportProgress', { actor: '区环保局', note: '已完成摸底' }),
    ).resolves.toEqual({
      status: 'acknowledged',
    });
    await facade.command('task/p/x', 'cancel', { actor: '督查室', reason: '合并到 2-1-2' });
    expect(updates).toEqual([
      { workflowId: 'task/p/x', name: 'reportProgress', arg: { actor: '区环保局', note: '已完成摸底' } },
      { workflowId: 'task/p/x', name: 'cancel', arg: { actor: 'supervisor', reason: '合并到 2-1-2' } },
    ]);
  });

  it("turns the workflow's refusal into CommandRefused with both languages, code and field", async () => {
    const message =
      '区住建局 不是本任务的牵头或配合单位 / 区住建局 is not a lead or cooperating department of this task';
    const { client } = fakeClient({
      update: (_id, name) => {
        const details =
          name === 'reportProgress'
            ? [
                {
                  code: 'bad_argument',
                  field: 'note',
                  zh: '参数 note 必须是文字',
                  en: 'note must be a string',
                },
              ]
            : [{ code: 'not_on_task', zh: '…', en: '…' }];
        throw new WorkflowUpdateFailedError(
          'Workflow Update failed',
          ApplicationFailure.create({ type: REJECTED, message, nonRetryable: true, details }),
        );
      },
    });
    const facade = createDubanClient({ client, taskQueue: 'q', store: emptyStore() });
    const err = (await facade
      .command('p/x', 'acknowledge', { actor: '区住建局' })
      .catch((e: unknown) => e)) as CommandRefused;
    expect(err).toBeInstanceOf(CommandRefused);
    expect(err.message).toBe(message);
    expect(err.zh).toBe('区住建局 不是本任务的牵头或配合单位');
    expect(err.en).toBe('区住建局 is not a lead or cooperating department of this task');
    expect(err.code).toBe('not_on_task');
    const err2 = (await facade
      .command('p/x', 'reportProgress', { actor: 'a', note: 'n' })
      .catch((e: unknown) => e)) as CommandRefused;
    expect(err2.field).toBe('note');
  });

  it('reports an unknown task as TaskNotFound, and a closed one as refused', async () => {
    const notFound = (id: string) => {
      throw new WorkflowNotFoundError('not found', id, undefined);
    };
    const missing = fakeClient({ update: notFound, describe: notFound });
    const f1 = createDubanClient({ client: missing.client, taskQueue: 'q', store: emptyStore() });
    const e1 = await f1.command('p/nope', 'acknowledge', { actor: '区环保局' }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(TaskNotFound);
    expect((e1 as TaskNotFound).message).toBe('未找到任务 task/p/nope / no task task/p/nope');

    const closed = fakeClient({ update: notFound, describe: () => ({ status: { name: 'COMPLETED' } }) });
    const f2 = createDubanClient({
      client: closed.client,
      taskQueue: 'q',
      store: emptyStore({ status: 'completed' }),
    });
    const e2 = (await f2
      .command('p/done', 'acknowledge', { actor: '区环保局' })
      .catch((e: unknown) => e)) as CommandRefused;
    expect(e2).toBeInstanceOf(CommandRefused);
    expect(e2.message).toBe('任务已办结，不能再操作 / the task is completed; nothing more can be done');
  });

  it('reports Temporal up when it answers and down when it does not', async () => {
    const { client } = fakeClient({});
    const up = createDubanClient({ client, taskQueue: 'q', store: emptyStore() });
    expect(await up.health()).toBe('up');
    const failing = {
      ...client,
      workflowService: { getSystemInfo: () => Promise.reject(new Error('14 UNAVAILABLE')) },
    };
    const down = createDubanClient({
      client: failing as unknown as Client,
      taskQueue: 'q',
      store: emptyStore(),
    });
    expect(await down.health()).toBe('down');
  });

  it('refuses a malformed id before calling Temporal', async () => {
    const { client, updates } = fakeClient({});
    const facade = createDubanClient({ client, taskQueue: 'q', store: emptyStore() });
    await expect(facade.command('nope', 'acknowledge', { actor: 'x' })).rejects.toBeInstanceOf(BadInput);
    expect(updates).toHaveLength(0);
  });
});
