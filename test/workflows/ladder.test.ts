/**
 * The escalation ladder, time-skipped over months on the test server with real activities, a real
 * SQLite store and a real SMTP server: a task whose cooperating department is slow and whose lead lets
 * it slide gets, each on its day, acknowledgement reminders and an alert, the three warnings, the
 * overdue notice, an interview (约谈) with its own mails, a rectification due date counted in working
 * days, an approval restriction (限批) on its region and sector, and an accountability record (追责)
 * naming persons; completed late, its verification lifts the restriction and the region is clear.
 */
import {
  addDays,
  addWorkingDays,
  builtinCalendar,
  dayOf,
  restrictionWorkflowId,
  taskWorkflowId,
  type TaskState,
} from '../../domain';
import { taskWorkflow } from '../../workflows';
import { activeRestrictionsQuery } from '../../workflows/restriction-messages';
import {
  acknowledgeUpdate,
  recordInterviewUpdate,
  scheduleInterviewUpdate,
  stateQuery,
  submitCompletionUpdate,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { addresses, at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('ladder')));
afterAll(() => duban?.teardown());

const cal = builtinCalendar();
const email = (dept: string) => duban.directory.departments[dept].email;
const headEmail = (dept: string) => duban.directory.departments[dept].head!.email;

test('a neglected task climbs every rung on its day, and its late completion lifts the restriction', async () => {
  const taskQueue = uniqueId('ladder');
  const plan = uniqueId('plan');
  const { env, smtp, store, directory: dir } = duban;
  const worker = await duban.createWorker(taskQueue);
  const workflowId = taskWorkflowId({ plan, id: '2-1-5', region: '泥沟镇' });
  const mine = () => smtp.messages.filter((m) => m.subject?.includes(plan) || m.subject?.includes('泥沟镇'));
  const ofKind = (k: string) => mine().filter((m) => m.subject?.includes(k));
  const sleepUntil = async (ms: number) => env.sleep(Math.max(0, ms - (await env.currentTimeMs())));

  const start = await env.currentTimeMs();
  const today = dayOf(start);
  const due = addDays(today, 40);

  await worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId,
      args: [
        {
          spec: {
            plan,
            id: '2-1-5',
            title: '集中治理工业集聚区水污染',
            text: '',
            lead: ['区环保局'],
            cooperating: ['区经信局'],
            due,
            region: '泥沟镇',
            restriction: { sector: '造纸' },
          },
        },
      ],
    });
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: '区环保局' }] });

    // 签收提醒: the cooperating department, on the next working day, at 09:00.
    const reminderDay = addWorkingDays(cal, today, 1).date;
    await sleepUntil(at9(reminderDay) - 60_000);
    expect(ofKind('签收提醒')).toHaveLength(0);
    await sleepUntil(at9(reminderDay) + 60_000);
    await smtp.waitFor(() => ofKind('签收提醒').length === 1);
    expect(addresses(ofKind('签收提醒')[0])).toEqual([email('区经信局')]);

    // 5 working days on, the supervisors hear of it, and so does the lead.
    const alertDay = addWorkingDays(cal, today, 5).date;
    await sleepUntil(at9(alertDay) + 60_000);
    await smtp.waitFor(() => ofKind('未签收告警').length === 1);
    expect(addresses(ofKind('未签收告警')[0])).toEqual(
      [...dir.supervisors.map((s) => s.email), email('区环保局')].sort(),
    );
    // One reminder a working day until then, to the cooperating department alone.
    expect(ofKind('签收提醒')).toHaveLength(5);
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: '区经信局' }] });

    // Warnings, the overdue notice, then 30 days overdue the interview is ordered.
    await sleepUntil(at9(addDays(due, 30)) + 60_000);
    const kinds = mine().map(
      (m) => /签收提醒|未签收告警|预警|催办|约谈通知|任务交办/.exec(m.subject ?? '')?.[0],
    );
    expect(kinds.filter((k) => k === '预警' || k === '催办' || k === '约谈通知')).toEqual([
      '预警',
      '预警',
      '预警',
      '催办',
      '约谈通知',
    ]);
    await smtp.waitFor(() => ofKind('约谈通知').length === 1);
    expect(addresses(ofKind('约谈通知')[0])).toEqual(
      [
        headEmail('区环保局'),
        headEmail('泥沟镇'),
        ...dir.leadership.map((l) => l.email),
        ...dir.supervisors.map((s) => s.email),
      ].sort(),
    );
    let state: TaskState = await h.query(stateQuery);
    expect(state.escalation).toBe('interview');

    // The supervisor sets time and place, then records the interview two days later.
    await h.executeUpdate(scheduleInterviewUpdate, {
      args: [{ actor: 'supervisor', at: `${addDays(due, 32)} 09:30`, place: '区政府第三会议室' }],
    });
    await smtp.waitFor(() => ofKind('约谈安排').length === 1);
    expect(ofKind('约谈安排')[0].subject).toContain('区政府第三会议室');
    await sleepUntil(at9(addDays(due, 32)) + 3_600_000);
    state = await h.executeUpdate(recordInterviewUpdate, {
      args: [
        {
          actor: 'supervisor',
          attendees: ['区环保局局长', '泥沟镇镇长'],
          opinions: '限期完成集聚区污水集中处理',
        },
      ],
    });
    const rectificationDue = addWorkingDays(cal, addDays(due, 32), 20).date;
    expect(state.interview).toMatchObject({
      rectificationDue,
      recorded: { attendees: ['区环保局局长', '泥沟镇镇长'] },
    });

    // The day after the rectification due date: 限批 on 泥沟镇 / 造纸, visible to anyone who asks.
    await sleepUntil(at9(addDays(rectificationDue, 1)) + 60_000);
    await smtp.waitFor(() => ofKind('限批').length === 1);
    const restriction = env.client.workflow.getHandle(restrictionWorkflowId('泥沟镇'));
    expect(await restriction.query(activeRestrictionsQuery)).toEqual([
      expect.objectContaining({ region: '泥沟镇', sector: '造纸', taskWorkflowId: workflowId }),
    ]);
    expect(addresses(ofKind('限批')[0])).toEqual(
      [
        ...dir.leadership.map((l) => l.email),
        ...dir.supervisors.map((s) => s.email),
        email('区环保局'),
      ].sort(),
    );

    // 30 days after the rectification due date: 追责, naming the persons, referred to 区监察局.
    await sleepUntil(at9(addDays(rectificationDue, 30)) + 60_000);
    await smtp.waitFor(() => ofKind('追责').length === 1);
    state = await h.query(stateQuery);
    expect(state.escalation).toBe('accountability');
    expect(state.accountability?.persons.map((p) => p.name).sort()).toEqual(['李某某', '泥沟镇镇长'].sort());
    expect(
      (await store.listAccountability({ person: '李某某' })).map((r) => [r.taskWorkflowId, r.referral]),
    ).toEqual([[workflowId, '区监察局']]);

    // Completed at last: verification lifts the restriction it caused.
    await h.executeUpdate(submitCompletionUpdate, {
      args: [{ actor: '区环保局', summary: '集聚区污水已集中处理' }],
    });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    await smtp.waitFor(() => ofKind('解除限批').length === 1);
    expect(await restriction.query(activeRestrictionsQuery)).toEqual([]);
    expect(await h.result()).toMatchObject({
      status: 'completed',
      restriction: { liftedAt: expect.any(String) },
    });

    // Every rung is on the ledger, in order, each on its day.
    const ledger = await store.ledgerFor(workflowId);
    const rungDay = (type: string) => dayOf(ledger.find((e) => e.type === type)!.at);
    expect(rungDay('AckAlertRaised')).toBe(alertDay);
    expect(rungDay('OverdueNoticed')).toBe(addDays(due, 1));
    expect(rungDay('InterviewOrdered')).toBe(addDays(due, 30));
    expect(rungDay('RestrictionImposed')).toBe(addDays(rectificationDue, 1));
    expect(rungDay('AccountabilityRecorded')).toBe(addDays(rectificationDue, 30));
    expect(ledger.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'RestrictionImposed',
        'AccountabilityRecorded',
        'CompletionVerified',
        'RestrictionLifted',
      ]),
    );
    expect(await store.verifyLedger()).toMatchObject({ ok: true });
  });
});
