/**
 * A task due in 90 days, time-skipped through three months on the test server: the 30/7/1-day
 * warnings and the overdue notice reach a real SMTP server at their hour, and a verified task hears
 * nothing more.
 */
import {
  addDays,
  atLocalHour,
  dayOf,
  taskWorkflowId,
  toMillis,
  type TaskSpecInput,
  type TaskState,
} from '../../domain';
import { taskWorkflow } from '../../workflows';
import {
  acknowledgeUpdate,
  stateQuery,
  submitCompletionUpdate,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('deadlines')));
afterAll(() => duban?.teardown());

const HOUR = 3_600_000;
const subjects = () => duban.smtp.messages.map((m) => m.subject ?? '');
const addressesOf = (name: string) => {
  const d = duban.directory.departments[name];
  if (!d) throw new Error(`${name} is not in the sample directory`);
  return d.email;
};

test('warnings 30, 7 and 1 days before due, the overdue notice after, nothing once verified', async () => {
  const taskQueue = uniqueId('deadlines');
  const plan = uniqueId('plan');
  const { env, smtp, store } = duban;
  const worker = await duban.createWorker(taskQueue);

  const start = await env.currentTimeMs();
  const due = addDays(dayOf(start), 90);
  const spec = (id: string): TaskSpecInput => ({
    plan,
    id,
    title: id === 'neglected' ? '集中治理工业集聚区水污染' : '加快城镇污水处理设施建设',
    lead: ['区环保局'],
    cooperating: ['区经信局'],
    due,
  });
  const neglectedId = taskWorkflowId({ plan, id: 'neglected' });
  const doneId = taskWorkflowId({ plan, id: 'done' });
  const at = (daysBeforeDue: number) => toMillis(atLocalHour(addDays(due, -daysBeforeDue), 9));

  await worker.runUntil(async () => {
    const neglected = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: neglectedId,
      args: [{ spec: spec('neglected') as never }],
    });
    const done = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: doneId,
      args: [{ spec: spec('done') as never }],
    });
    await smtp.waitFor((ms) => ms.filter((m) => m.subject?.includes('任务交办')).length === 2);
    // Both departments acknowledge at once, so no acknowledgement reminders join the story.
    for (const h of [neglected, done])
      for (const actor of ['区环保局', '区经信局'])
        await h.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });

    // Just before the 30-day warning: nothing yet.
    await env.sleep(at(30) - (await env.currentTimeMs()) - HOUR);
    expect(subjects().filter((s) => s.includes('预警'))).toEqual([]);
    await env.sleep(2 * HOUR);
    await smtp.waitFor((ms) => ms.filter((m) => m.subject?.includes('预警')).length === 2);
    const warning30 = smtp.messages.filter((m) => m.subject?.includes('预警'));
    expect(warning30.map((m) => m.subject)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('30 天后到期'),
        expect.stringContaining('30 天后到期'),
      ]),
    );
    const to = (warning30[0].to as { value: { address: string }[] }).value.map((v) => v.address).sort();
    expect(to).toEqual([addressesOf('区环保局'), addressesOf('区经信局')].sort());

    await env.sleep(at(7) + HOUR - (await env.currentTimeMs()));
    await smtp.waitFor((ms) => ms.filter((m) => m.subject?.includes('7 天后到期')).length === 2);

    // The second task is finished between the 7-day and the 1-day warning.
    await done.executeUpdate(submitCompletionUpdate, {
      args: [{ actor: '区环保局', summary: '污水处理厂已建成运行' }],
    });
    const verified: TaskState = await done.executeUpdate(verifyCompletionUpdate, {
      args: [{ actor: 'supervisor' }],
    });
    expect(verified.status).toBe('completed');
    expect(await done.result()).toMatchObject({ status: 'completed' });

    await env.sleep(toMillis(atLocalHour(addDays(due, 1), 9)) + HOUR - (await env.currentTimeMs()));
    await smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('催办')));
    // Give any stray mail for the verified task a moment to arrive before counting.
    await new Promise((r) => setTimeout(r, 500));

    const forTask = (title: string) => subjects().filter((s) => s.includes(title));
    expect(forTask('集中治理工业集聚区水污染').map(kind)).toEqual([
      '任务交办',
      '预警30',
      '预警7',
      '预警1',
      '催办',
    ]);
    expect(forTask('加快城镇污水处理设施建设').map(kind).sort()).toEqual(
      ['任务交办', '预警30', '预警7', '办结待审核', '办结审核通过'].sort(),
    );

    const state = await neglected.query(stateQuery);
    expect(state).toMatchObject({
      status: 'acknowledged',
      escalation: 'overdue',
      fired: [`warning:30@${due}`, `warning:7@${due}`, `warning:1@${due}`, `overdue@${due}`],
    });

    // Every rung is on the ledger at its hour.
    const rungs = (await store.ledgerFor(neglectedId)).filter(
      (e) => e.type === 'WarningIssued' || e.type === 'OverdueNoticed',
    );
    const expected = [at(30), at(7), at(1), toMillis(atLocalHour(addDays(due, 1), 9))];
    expect(rungs.map((e) => e.type)).toEqual([
      'WarningIssued',
      'WarningIssued',
      'WarningIssued',
      'OverdueNoticed',
    ]);
    // The clock fires within seconds of the hour (workflow time is the server's, to the millisecond).
    rungs.forEach((e, i) => expect(Math.abs(toMillis(e.at) - expected[i])).toBeLessThan(5_000));
  });
});

function kind(subject: string): string {
  const m = /预警.*?(\d+) 天后到期/.exec(subject);
  if (m) return `预警${m[1]}`;
  for (const k of ['任务交办', '催办', '办结待审核', '办结审核通过']) if (subject.includes(k)) return k;
  return subject;
}
