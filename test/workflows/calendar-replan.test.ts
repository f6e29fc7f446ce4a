/**
 * A rung counted in working days over a year whose official calendar is not yet published is planned
 * on weekdays, marked provisional, and re-planned when an operator loads that year's calendar.
 */
import {
  addDays,
  atLocalHour,
  dayOf,
  mergeCalendars,
  builtinCalendar,
  addWorkingDays,
  toMillis,
} from '../../domain';
import { taskWorkflow } from '../../workflows';
import {
  acknowledgeUpdate,
  calendarUpdatedSignal,
  stateQuery,
  upcomingQuery,
} from '../../workflows/task-messages';
import { startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('replan')));
afterAll(() => duban?.teardown());

// A made-up 2029 calendar for the test: the first week of July off.
const TEST_2029 = {
  year: 2029,
  holidays: ['2029-07-02', '2029-07-03', '2029-07-04', '2029-07-05', '2029-07-06'],
  workdays: [],
};

test('a provisional rectification due date is counted again when the year’s calendar is loaded', async () => {
  expect(builtinCalendar().years).not.toContain(2029);
  const taskQueue = uniqueId('replan');
  const plan = uniqueId('plan');
  const { env, smtp, store } = duban;
  const worker = await duban.createWorker(taskQueue);
  const due = '2029-05-31';
  const interviewDay = addDays(due, 30); // 2029-06-30
  const weekdaysOnly = addWorkingDays(builtinCalendar(), interviewDay, 20);
  const published = addWorkingDays(mergeCalendars(builtinCalendar(), TEST_2029), interviewDay, 20);
  expect(weekdaysOnly).toEqual({ date: '2029-07-27', provisional: true });
  expect(published).toEqual({ date: '2029-08-03', provisional: false });

  await worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: `task/${plan}/replan`,
      args: [
        {
          spec: {
            plan,
            id: 'replan',
            title: '重新计算整改期限',
            text: '',
            lead: ['区水务局'],
            cooperating: [],
            due,
          },
        },
      ],
    });
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: '区水务局' }] });
    await env.sleep(toMillis(atLocalHour(interviewDay, 9)) + 60_000 - (await env.currentTimeMs()));

    const state = await h.query(stateQuery);
    expect(state.interview).toMatchObject({ rectificationDue: weekdaysOnly.date, provisional: true });
    expect((await h.query(upcomingQuery))[0]).toMatchObject({
      rung: { kind: 'accountability' },
      day: addDays(weekdaysOnly.date, 1),
      provisional: true,
    });

    await store.saveCalendarYear(TEST_2029, 'test calendar');
    await h.signal(calendarUpdatedSignal);
    await env.sleep(1_000);
    expect((await h.query(upcomingQuery))[0]).toMatchObject({
      rung: { kind: 'accountability' },
      day: addDays(published.date, 1),
      provisional: false,
    });

    await env.sleep(
      toMillis(atLocalHour(addDays(published.date, 1), 9)) + 60_000 - (await env.currentTimeMs()),
    );
    await smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('追责') && m.subject.includes(plan)));
    const ledger = await store.ledgerFor(`task/${plan}/replan`);
    const recorded = ledger.find((e) => e.type === 'AccountabilityRecorded')!;
    expect(dayOf(recorded.at)).toBe(addDays(published.date, 1));
    expect(recorded.event).toMatchObject({ rectificationDue: published.date });
  });
});
