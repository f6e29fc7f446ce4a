/**
 * A recurring duty over a year, time-skipped on the test server with duban's real activities, a real
 * SQLite store and a real SMTP server: every quarter opens its own occurrence as a task (a workflow of its own,
 * not the duty's child), due ten working days after the quarter ends; three are acknowledged, submitted and verified, one is left and climbs its
 * ladder (催办, then 约谈); each quarter is a run of its own (continue-as-new), and the series ends with the
 * plan: no occurrence after it.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  addWorkingDays,
  builtinCalendar,
  dayOf,
  dutyWorkflowId,
  nextPeriod,
  periodContaining,
  taskWorkflowId,
  type DutySpec,
  type TaskState,
} from '../../domain';
import { dutyWorkflow } from '../../workflows';
import { dutyQuery } from '../../workflows/duty-messages';
import {
  acknowledgeUpdate,
  stateQuery,
  submitCompletionUpdate,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('duty')));
afterAll(() => duban?.teardown());

const HOUR = 3_600_000;
const LEAD = '区卫计局';
const COOP = '区水务局';
const cal = builtinCalendar();

async function eventually<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > until) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a year of quarterly occurrences: each its own task and due date, the missed one escalates, the series ends with the plan', async () => {
  const taskQueue = uniqueId('duty');
  const plan = uniqueId('plan');
  const { env, smtp, store } = duban;
  const worker = await duban.createWorker(taskQueue);
  const sleepUntil = async (ms: number) => env.sleep(Math.max(0, ms - (await env.currentTimeMs())));

  // The plan runs the four quarters of next year.
  const today = dayOf(await env.currentTimeMs());
  const q1 = nextPeriod('quarter', periodContaining('quarter', today));
  const quarters = [q1];
  for (let i = 1; i < 4; i++) quarters.push(nextPeriod('quarter', quarters[i - 1]));
  const year = q1.start.slice(0, 4);
  const spec: DutySpec = {
    plan,
    id: '2-3-6',
    title: '每季度向社会公开饮水安全状况信息',
    text: '自2018年起，每季度要向社会公开饮水安全状况信息。',
    lead: [LEAD],
    cooperating: [COOP],
    every: 'quarter',
    from: q1.start,
    until: quarters[3].end,
  };
  const dutyId = dutyWorkflowId(spec);
  const occurrence = (i: number) =>
    env.client.workflow.getHandle(taskWorkflowId({ plan, id: `2-3-6.${quarters[i].label}` }));
  const opened = (i: number) =>
    eventually(
      `${quarters[i].label} opened`,
      async () => (await occurrence(i).query(stateQuery)) as TaskState,
    );
  const dueOf = (i: number) => addWorkingDays(cal, quarters[i].end, 10).date;
  const close = async (i: number) => {
    const h = occurrence(i);
    for (const actor of [LEAD, COOP]) await h.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已在区政府网站公开' }] });
    return h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
  };

  await worker.runUntil(async () => {
    const duty = await env.client.workflow.start(dutyWorkflow, {
      taskQueue,
      workflowId: dutyId,
      args: [{ spec }],
    });
    const firstRun = duty.firstExecutionRunId;

    // Before the first quarter begins, nothing is open; the list already shows when it will be.
    const waiting = await eventually('duty recorded', async () => (await store.listDuties(plan))[0]);
    expect(waiting).toMatchObject({
      status: 'running',
      every: 'quarter',
      current: null,
      next: { period: `${year}Q1`, opensOn: q1.start },
    });
    await expect(occurrence(0).query(stateQuery)).rejects.toThrow(WorkflowNotFoundError);

    for (const i of [0, 1, 2, 3]) {
      await sleepUntil(at9(quarters[i].start) + HOUR);
      const s = await opened(i);
      expect(s.spec).toMatchObject({ lead: [LEAD], cooperating: [COOP], id: `2-3-6.${year}Q${i + 1}` });
      expect(s.spec.title).toBe(`每季度向社会公开饮水安全状况信息（${year}年第${i + 1}季度）`);
      // Due ten working days after its own quarter, on the working-day calendar.
      expect(s.due).toBe(dueOf(i));
      expect(s.status).toBe('assigned');
      const row = await eventually('current occurrence recorded', async () => {
        const d = (await store.listDuties(plan))[0];
        return d.current?.period === quarters[i].label && d;
      });
      expect(row.current).toEqual({
        id: `2-3-6.${quarters[i].label}`,
        workflowId: taskWorkflowId({ plan, id: `2-3-6.${quarters[i].label}` }),
        period: quarters[i].label,
        due: dueOf(i),
      });
      // The second quarter is left undone.
      if (i !== 1) expect((await close(i)).status).toBe('completed');
    }
    // The series ends with the plan: the fourth quarter was the last, each quarter was a run of its own.
    expect(await duty.result()).toMatchObject({ last: { period: `${year}Q4` }, runs: 4 });
    const described = await env.client.workflow.getHandle(dutyId).describe();
    expect(described.runId).not.toBe(firstRun);
    await expect(env.client.workflow.getHandle(dutyId).query(dutyQuery)).resolves.toMatchObject({
      status: 'ended',
      run: 3,
    });
    expect((await store.listDuties(plan))[0]).toMatchObject({ status: 'ended', next: null });

    // The missed quarter escalates on its own due date: 催办 on the day after, then 约谈 30 days on.
    // (By October, when the fourth quarter opened, its ladder had run while the others closed.)
    const missed = occurrence(1);
    const s = await eventually('missed occurrence escalated', async () => {
      const st = (await missed.query(stateQuery)) as TaskState;
      return st.escalation !== 'none' && st;
    });
    expect(s.status).toBe('assigned');
    const ledger = (await store.ledgerFor(taskWorkflowId({ plan, id: `2-3-6.${year}Q2` }))).map(
      (e) => e.event.type,
    );
    expect(ledger).toContain('OverdueNoticed');
    expect(ledger).toContain('InterviewOrdered');
    const title = `${year}年第2季度`;
    await smtp.waitFor(() =>
      smtp.messages.some((m) => m.subject?.includes('催办') && m.text?.includes(title)),
    );
    // The others closed and stayed closed; the year after the plan has no occurrence.
    for (const i of [0, 2, 3])
      expect(((await occurrence(i).query(stateQuery)) as TaskState).status).toBe('completed');
    expect(await store.getTask(taskWorkflowId({ plan, id: `2-3-6.${Number(year) + 1}Q1` }))).toBeUndefined();
  });
});
