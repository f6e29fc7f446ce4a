import type { TaskSummary } from '../../domain';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
  });
  afterAll(() => store?.close());

  const summary = (over: Partial<TaskSummary> & Pick<TaskSummary, 'plan' | 'taskId'>): TaskSummary => ({
    workflowId: `task/${over.plan}/${over.taskId}${over.region ? `/${over.region}` : ''}`,
    title: '加强工业污染防治',
    lead: ['区环保局'],
    cooperating: ['区发改局', '区经信局'],
    status: 'assigned',
    due: '2030-12-31',
    escalation: 'none',
    acknowledged: [],
    assignedAt: '2026-03-01T01:00:00.000Z',
    updatedAt: '2026-03-01T01:00:00.000Z',
    seq: 1,
    ...over,
  });

  test('a summary round-trips; an unknown task is undefined', async () => {
    const s = summary({ plan: 'rt', taskId: '1', region: '泥沟镇', acknowledged: ['区环保局'], seq: 2 });
    await store.upsertTask(s);
    expect(await store.getTask('task/rt/1/泥沟镇')).toEqual(s);
    const plain = summary({ plan: 'rt', taskId: '2' });
    await store.upsertTask(plain);
    expect(await store.getTask('task/rt/2')).toEqual(plain);
    expect(Object.keys((await store.getTask('task/rt/2'))!)).not.toContain('region');
    expect(await store.getTask('task/rt/404')).toBeUndefined();
  });

  test('the projection never moves backwards', async () => {
    const id = 'task/nb/1';
    await store.upsertTask(summary({ plan: 'nb', taskId: '1', status: 'submitted', seq: 5 }));
    await store.upsertTask(summary({ plan: 'nb', taskId: '1', status: 'acknowledged', seq: 3 }));
    expect(await store.getTask(id)).toMatchObject({ status: 'submitted', seq: 5 });
    // The same seq again (a retried activity) is harmless.
    await store.upsertTask(summary({ plan: 'nb', taskId: '1', status: 'submitted', seq: 5 }));
    await store.upsertTask(
      summary({
        plan: 'nb',
        taskId: '1',
        status: 'completed',
        seq: 6,
        updatedAt: '2026-04-01T00:00:00.000Z',
      }),
    );
    expect(await store.getTask(id)).toMatchObject({
      status: 'completed',
      seq: 6,
      updatedAt: '2026-04-01T00:00:00.000Z',
    });
    await store.upsertTask(summary({ plan: 'nb', taskId: '1', status: 'assigned', seq: 1 }));
    expect(await store.getTask(id)).toMatchObject({ status: 'completed', seq: 6 });
  });

  test('at one seq the later decision wins, whichever lands last', async () => {
    // A worker died after recording seq 2; the task's retry decided seq 2 otherwise, 10 s later.
    const dead = (taskId: string) => summary({ plan: 'seq', taskId, escalation: 'warning', seq: 2 });
    const retry = (taskId: string) =>
      summary({
        plan: 'seq',
        taskId,
        status: 'acknowledged',
        acknowledged: ['区环保局'],
        seq: 2,
        updatedAt: '2026-03-01T01:00:10.000Z',
      });
    await store.upsertTask(retry('1'));
    await store.upsertTask(dead('1'));
    await store.upsertTask(dead('2'));
    await store.upsertTask(retry('2'));
    expect([await store.getTask('task/seq/1'), await store.getTask('task/seq/2')]).toEqual([
      retry('1'),
      retry('2'),
    ]);
  });

  test('listTasks orders by plan, due, task id and filters by plan, status and department', async () => {
    await store.upsertTask(summary({ plan: 'ls-b', taskId: '9', due: '2027-01-01' }));
    await store.upsertTask(summary({ plan: 'ls-a', taskId: '3', due: '2027-06-30', status: 'completed' }));
    await store.upsertTask(
      summary({ plan: 'ls-a', taskId: '2', due: '2027-06-30', lead: ['区水务局'], cooperating: [] }),
    );
    await store.upsertTask(
      summary({ plan: 'ls-a', taskId: '1', due: '2028-01-01', cooperating: ['区环保局分局'] }),
    );
    const ids = (ts: TaskSummary[]) => ts.map((t) => `${t.plan}/${t.taskId}`);

    const all = ids(await store.listTasks()).filter((id) => id.startsWith('ls-'));
    expect(all).toEqual(['ls-a/2', 'ls-a/3', 'ls-a/1', 'ls-b/9']);
    expect(ids(await store.listTasks({ plan: 'ls-a' }))).toEqual(['ls-a/2', 'ls-a/3', 'ls-a/1']);
    expect(ids(await store.listTasks({ plan: 'ls-a', status: 'completed' }))).toEqual(['ls-a/3']);
    expect(ids(await store.listTasks({ plan: 'ls-a', department: '区水务局' }))).toEqual(['ls-a/2']);
    // Cooperating counts; a name that only contains another's does not.
    expect(ids(await store.listTasks({ plan: 'ls-a', department: '区环保局分局' }))).toEqual(['ls-a/1']);
    expect(ids(await store.listTasks({ plan: 'ls-a', department: '区经信局' }))).toEqual(['ls-a/3']);
    expect(await store.listTasks({ plan: 'nothing-here' })).toEqual([]);
  });
});
