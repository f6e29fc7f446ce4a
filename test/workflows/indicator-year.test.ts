/**
 * The plan's year close on the time-skipping server, with duban's real activities, store and SMTP: a target
 * missed at year end opens a rectification task for the responsible 镇街, its 约谈 (of the 镇街 and the
 * measuring department) ordered at once and driven like any task's, and 限批 where the plan says so; a
 * value never reported is put to its department; a met target opens nothing.
 *
 * The test server's clock starts at the real time and cannot be set back, so "2017" is the server's own
 * current year here: the plan's targets are for it and the year after.
 */
import type { ParsedMail } from 'mailparser';
import {
  addWorkingDays,
  builtinCalendar,
  dayOf,
  restrictionWorkflowId,
  toMillis,
  type ActiveRestriction,
  type TaskState,
} from '../../domain';
import { indicatorYearWorkflowId, yearCloseAt } from '../../domain/indicators';
import { createIndicatorService } from '../../services/indicators';
import { DIGEST_WORKFLOW } from '../../workflows/digest-messages';
import { activeRestrictionsQuery } from '../../workflows/restriction-messages';
import {
  cancelUpdate,
  recordInterviewUpdate,
  scheduleInterviewUpdate,
  stateQuery,
} from '../../workflows/task-messages';
import { addresses, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { indicatorPlan } from '../helpers/indicator-plan';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => {
  duban = await startTimeSkippedDuban('indicator-year');
});
afterAll(() => duban?.teardown());

async function eventually<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const subjects = (ms: ParsedMail[]) => ms.map((m) => m.subject ?? '');

test('a missed target at year end opens a rectification task with its 约谈, and the 限批 the plan names; a met one nothing', async () => {
  const { env, store, smtp } = duban;
  const taskQueue = uniqueId('indicator-year');
  const plan = uniqueId('tz-year').replace(/[^A-Za-z0-9._-]/g, '-');
  const year = Number(dayOf(await env.currentTimeMs()).slice(0, 4));
  const service = createIndicatorService({ store, client: env.client, taskQueue });
  const blackTask = `task/${plan}/rectify-${year}-black-odorous/运河街道`;
  const ammoniaTask = `task/${plan}/rectify-${year}-ammonia/泥沟镇`;
  const worker = await duban.createWorker(taskQueue);
  await worker.runUntil(async () => {
    expect(await service.start(indicatorPlan(plan, year))).toEqual({
      indicators: 4,
      changed: 4,
      yearClose: 'started',
    });
    expect((await service.start(indicatorPlan(plan, year))).yearClose).toBe('running');
    const rec = (indicator: string, value: string, as = '区环保局', region?: string) =>
      service.record(plan, { indicator, year, value, region, as }, 'cli');
    await rec('good-water', '55');
    await rec('black-odorous', '45%', '区住建局');
    await rec('ammonia', '1.2', '区环保局', '运河街道');
    await rec('ammonia', '2.1', '区环保局', '泥沟镇');
    await rec('xiaojihe', 'Ⅱ类', '区环保局', '小季河');

    const close = toMillis(yearCloseAt(builtinCalendar(), year));
    // The day before the close nothing is judged yet.
    await env.sleep(Math.max(0, close - 86_400_000 - (await env.currentTimeMs())));
    const chain = indicatorYearWorkflowId(plan);
    expect(await store.ledgerFor(chain)).toEqual([]);

    await env.sleep(close + 60_000 - (await env.currentTimeMs()));
    const events = await eventually('the year closed on the ledger', async () => {
      const l = await store.ledgerFor(chain);
      return l.some((e) => e.type === ('IndicatorYearClosed' as never)) && l.map((e) => e.event);
    });
    expect(events).toMatchObject([
      { type: 'IndicatorTargetMissed', indicator: 'black-odorous', year, target: 40, actual: 45, op: '<=' },
      {
        type: 'IndicatorInterviewOrdered',
        indicator: 'black-odorous',
        officials: ['运河街道', '区住建局'],
        tasks: [blackTask],
      },
      { type: 'IndicatorRestrictionOrdered', indicator: 'black-odorous', region: '运河街道', sector: '涉水' },
      { type: 'IndicatorTargetMissed', indicator: 'ammonia', region: '泥沟镇', actual: 2.1 },
      {
        type: 'IndicatorInterviewOrdered',
        indicator: 'ammonia',
        region: '泥沟镇',
        officials: ['泥沟镇', '区环保局'],
        tasks: [ammoniaTask],
      },
      { type: 'IndicatorYearClosed', year, judged: 5, missed: 2, unreported: 0 },
    ]);
    expect(events[0].at >= new Date(close).toISOString()).toBe(true);

    // 限批 on 运河街道's water-related projects, caused by the indicator.
    const restriction = env.client.workflow.getHandle(restrictionWorkflowId('运河街道'));
    const active = await eventually('restriction imposed', async () => {
      const a: ActiveRestriction[] = await restriction.query(activeRestrictionsQuery).catch(() => []);
      return a.length > 0 && a;
    });
    expect(active).toMatchObject([
      {
        region: '运河街道',
        sector: '涉水',
        taskWorkflowId: `indicator/${plan}/black-odorous`,
        by: 'indicator',
      },
    ]);
    await eventually(
      'restriction projected',
      async () => (await store.listRestrictions({ region: '运河街道', activeOnly: true })).length === 1,
    );

    // A rectification task for each miss, led by the 镇街 with the measuring department, due after the
    // rectification period, its 约谈 ordered at once.
    const closeDay = dayOf(close);
    const rectificationDue = addWorkingDays(builtinCalendar(), closeDay, 20).date;
    const task = env.client.workflow.getHandle(blackTask);
    let state = await eventually('the rectification task ordered its interview', async () => {
      const s: TaskState | undefined = await task.query(stateQuery).catch(() => undefined);
      return s?.interview && s;
    });
    expect(state).toMatchObject({
      status: 'assigned',
      escalation: 'interview',
      due: rectificationDue,
      interview: { n: 1, rectificationDue },
      spec: {
        plan,
        id: `rectify-${year}-black-odorous`,
        title: `${year}年度指标「城区建成区黑臭水体」未达标整改`,
        lead: ['运河街道'],
        cooperating: ['区住建局'],
        region: '运河街道',
      },
    });
    expect(state.spec.restriction).toBeUndefined();
    const other: TaskState = await eventually('the other task', () =>
      env.client.workflow
        .getHandle(ammoniaTask)
        .query(stateQuery)
        .catch(() => undefined),
    );
    expect(other.spec).toMatchObject({ lead: ['泥沟镇'], cooperating: ['区环保局'], region: '泥沟镇' });

    // The task's interview tells the 镇街's and the department's heads, leadership and supervisors, once:
    // no second summons from the year close.
    await smtp.waitFor((ms) => subjects(ms).filter((s) => s.includes('约谈通知')).length === 2);
    const interview = smtp.messages.find(
      (m) => m.subject?.includes('约谈通知') && m.subject.includes('黑臭水体'),
    )!;
    expect(interview.subject).toContain(`约谈通知：${year}年度指标「城区建成区黑臭水体」未达标整改`);
    expect(addresses(interview)).toEqual(
      [
        'yunhe.head@taierzhuang.gov.cn.example',
        'zhujian.head@taierzhuang.gov.cn.example',
        'quzhang@taierzhuang.gov.cn.example',
        'fuquzhang.huanbao@taierzhuang.gov.cn.example',
        'duchashi@taierzhuang.gov.cn.example',
        'duchashi.head@taierzhuang.gov.cn.example',
      ].sort(),
    );
    expect(interview.text).toContain('目标为 ≤ 40%，实际为 45%，未完成年度目标');
    expect(interview.text).toContain(`整改期限暂定为 ${rectificationDue}`);
    expect(interview.text).not.toContain('逾期');
    expect(subjects(smtp.messages).filter((s) => s.includes('优良比例'))).toEqual([]);
    expect(await store.verifyLedger()).toMatchObject({ ok: true });

    // The supervisor drives the 约谈 as any task's: time and place, then the record.
    await task.executeUpdate(scheduleInterviewUpdate, {
      args: [{ actor: 'supervisor', at: `${closeDay} 15:00`, place: '区政府第三会议室' }],
    });
    await smtp.waitFor((ms) =>
      ms.some((m) => m.subject?.includes('约谈安排') && m.subject.includes('黑臭水体')),
    );
    state = await task.executeUpdate(recordInterviewUpdate, {
      args: [
        { actor: 'supervisor', attendees: ['运河街道主任', '区住建局局长'], opinions: '年内消除黑臭水体' },
      ],
    });
    expect(state.interview).toMatchObject({
      scheduled: { time: `${closeDay} 15:00`, place: '区政府第三会议室' },
      recorded: { attendees: ['运河街道主任', '区住建局局长'], opinions: '年内消除黑臭水体' },
    });
    expect((await store.ledgerFor(blackTask)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['TaskAssigned', 'InterviewOrdered', 'InterviewScheduled', 'InterviewRecorded']),
    );

    // The tasks' ladders would run on, on a queue no worker serves after this test, and hold the server's
    // clock: they close here (awaited without result(), which would let the clock skip ahead).
    for (const id of [blackTask, ammoniaTask]) {
      const h = env.client.workflow.getHandle(id);
      await h.executeUpdate(cancelUpdate, {
        args: [{ actor: 'supervisor', reason: '测试结束 / test over' }],
      });
      await eventually(`${id} closed`, async () => (await h.describe()).status.name === 'COMPLETED');
    }
    const openInterview = env.client.workflow.getHandle(`interview/${plan}/rectify-${year}-ammonia/泥沟镇/1`);
    await eventually(
      'the open interview closed',
      async () => (await openInterview.describe()).status.name === 'COMPLETED',
    );

    // The next morning's digest tells leadership of both misses and what they opened, once.
    const digest = () =>
      env.client.workflow.execute(DIGEST_WORKFLOW, { taskQueue, workflowId: uniqueId('digest'), args: [] });
    // (Awaiting a result lets the server skip to the next timer anywhere: the day is read before.)
    const day = dayOf(await env.currentTimeMs());
    expect(await digest()).toEqual({ items: 2, sent: true });
    const mail = smtp.messages.find((m) => m.subject?.includes('每日督办摘要'))!;
    expect(mail.subject).toBe(`【督办】每日督办摘要（${day}）：年度指标未达标 2 项`);
    expect(mail.text).toContain('年度指标未达标 / annual targets missed：');
    expect(mail.text).toContain(
      `${plan}  ${year} 年度指标“城区建成区黑臭水体”未达标：目标 ≤ 40%，实际 45%；约谈 运河街道、区住建局；限批 运河街道 涉水`,
    );
    expect(mail.text).toContain(
      `${plan}  ${year} 年度指标“氨氮浓度”（泥沟镇）未达标：目标 ≤ 1.5mg/L，实际 2.1mg/L；约谈 泥沟镇、区环保局`,
    );
    await env.sleep('1 day');
    expect(await digest()).toEqual({ items: 0, sent: false });
  });
});

test('a value never reported by year end is put to the measuring department, not to a 镇街', async () => {
  const { env, store, smtp } = duban;
  const taskQueue = uniqueId('indicator-unreported');
  const plan = uniqueId('tz-unrep').replace(/[^A-Za-z0-9._-]/g, '-');
  const year = Number(dayOf(await env.currentTimeMs()).slice(0, 4));
  const b = indicatorPlan(plan, year);
  b.indicators = b.indicators.filter((i) => i.id === 'black-odorous');
  const service = createIndicatorService({ store, client: env.client, taskQueue });
  const worker = await duban.createWorker(taskQueue);
  await worker.runUntil(async () => {
    await service.start(b);
    const close = toMillis(yearCloseAt(builtinCalendar(), year));
    await env.sleep(Math.max(0, close + 60_000 - (await env.currentTimeMs())));
    const chain = indicatorYearWorkflowId(plan);
    const events = await eventually('the year closed', async () => {
      const l = await store.ledgerFor(chain);
      return l.length >= 2 && l.map((e) => e.event);
    });
    expect(events).toMatchObject([
      { type: 'IndicatorUnreported', indicator: 'black-odorous', year, actual: null, department: '区住建局' },
      { type: 'IndicatorYearClosed', year, judged: 1, missed: 0, unreported: 1 },
    ]);
    await smtp.waitFor((ms) => ms.some((x) => x.subject?.includes(`指标未报送：${year}`)));
    const mail = smtp.messages.find((x) => x.subject?.includes(`指标未报送：${year}`))!;
    expect(addresses(mail)).toEqual(
      [
        'zhujian@taierzhuang.gov.cn.example',
        'duchashi@taierzhuang.gov.cn.example',
        'duchashi.head@taierzhuang.gov.cn.example',
      ].sort(),
    );
  });
});
