/**
 * Co-leads on the real workflow (time-skipped, real activities and store): with `completion: all-leads`
 * the first lead's submission is a co-signature and the task waits for the other lead; a task left to
 * slide to 追责 names the head of every lead department. The workflow is unchanged: decide/evolve do it.
 */
import {
  addDays,
  dayOf,
  taskWorkflowId,
  type PolicyOverride,
  type TaskState,
  taskSpecSchema,
} from '../../domain';
import { taskWorkflow } from '../../workflows';
import { acknowledgeUpdate, stateQuery, submitCompletionUpdate } from '../../workflows/task-messages';
import { startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('co-leads')));
afterAll(() => duban?.teardown());

const LEADS = ['区环保局', '区水务局'];

test('all-leads: both leads sign before the task is submitted; 追责 names both heads', async () => {
  const taskQueue = uniqueId('co-leads');
  const plan = uniqueId('plan');
  const { env, store } = duban;
  const worker = await duban.createWorker(taskQueue);
  const today = dayOf(await env.currentTimeMs());
  const spec = (id: string, policy: PolicyOverride) =>
    taskSpecSchema().parse({
      plan,
      id,
      title: '河道综合整治',
      text: '',
      lead: LEADS,
      cooperating: [],
      due: addDays(today, 1),
      policy: { completion: 'all-leads', ...policy },
    });

  await worker.runUntil(async () => {
    const signed = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan, id: 'sign' }),
      args: [{ spec: spec('sign', {}) }],
    });
    for (const actor of LEADS) await signed.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });
    const first = (await signed.executeUpdate(submitCompletionUpdate, {
      args: [{ actor: '区水务局', summary: '清淤完成' }],
    })) as TaskState;
    expect(first.status).toBe('acknowledged');
    expect(Object.keys(first.cosigned ?? {})).toEqual(['区水务局']);
    await signed.executeUpdate(submitCompletionUpdate, {
      args: [{ actor: '区环保局', summary: '整治完成' }],
    });
    const done = await signed.query(stateQuery);
    expect(done.status).toBe('submitted');
    expect(done.submission).toMatchObject({ by: '区环保局', summary: '整治完成' });

    const slid = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan, id: 'slide' }),
      args: [
        {
          spec: spec('slide', {
            interviewAfterOverdue: '1d',
            rectificationPeriod: '1d',
            accountabilityAfterRectification: '1d',
          }),
        },
      ],
    });
    for (const actor of LEADS) await slid.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });
    await env.sleep(10 * 86_400_000);
    const s = await slid.query(stateQuery);
    expect(s.escalation).toBe('accountability');
    const named = (await store.listAccountability({ taskWorkflowId: slid.workflowId })).map(
      (r) => r.person.department,
    );
    expect(named).toEqual(LEADS);
  });
});
