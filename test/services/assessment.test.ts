/**
 * The yearly 考核 of a plan lived through on the time-skipping server, with duban's real worker activities,
 * store and SMTP: one task done on time, one done late, one left to reach its 约谈, an indicator target met
 * and one missed. The ranking (service, CLI and API alike) has every unit's exact score and parts.
 *
 * The test server's clock starts at the real time and cannot be set back, so the plan's year is the next
 * one: the clock is skipped to its 5 January first.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dayOf } from '../../domain';
import { main } from '../../cli/main';
import { EXIT } from '../../cli/session';
import { assessmentRanking, createAssessmentService } from '../../services/assessment';
import { createIndicatorService } from '../../services/indicators';
import { taskWorkflow } from '../../workflows';
import {
  acknowledgeUpdate,
  submitCompletionUpdate,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { indicatorPlan } from '../helpers/indicator-plan';
import { pdfText } from '../helpers/office';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('assessment')));
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

const sleepUntil = async (env: TestWorkflowEnvironment, ms: number) =>
  env.sleep(Math.max(0, ms - (await env.currentTimeMs())));

test('a year of on-time, late and neglected work and its indicators, scored and ranked exactly', async () => {
  const { env, store } = duban;
  const taskQueue = uniqueId('assessment');
  const plan = uniqueId('tz-assess').toLowerCase();
  const year = Number(dayOf(await env.currentTimeMs()).slice(0, 4)) + 1;
  const day = (md: string) => `${year}-${md}`;
  const worker = await duban.createWorker(taskQueue);

  await worker.runUntil(async () => {
    await sleepUntil(env, at9(day('01-05')));
    const start = (id: string, lead: string, due: string, extra: object = {}) =>
      env.client.workflow.start(taskWorkflow, {
        taskQueue,
        workflowId: `task/${plan}/${id}${'region' in extra ? `/${lead}` : ''}`,
        args: [
          { spec: { plan, id, title: `任务${id}`, text: '', lead: [lead], cooperating: [], due, ...extra } },
        ],
      });
    const onTime = await start('1-1', '区环保局', day('01-20'));
    const late = await start('1-2', '区住建局', day('01-12'));
    // 约谈 five days after the due date passed (the default is thirty).
    const neglected = await start('1-3', '泥沟镇', day('01-12'), {
      region: '泥沟镇',
      policy: { interviewAfterOverdue: 5 },
    });
    for (const [h, actor] of [
      [onTime, '区环保局'],
      [late, '区住建局'],
      [neglected, '泥沟镇'],
    ] as const)
      await h.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });
    await onTime.executeUpdate(submitCompletionUpdate, { args: [{ actor: '区环保局', summary: '已完成' }] });
    await onTime.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });

    await sleepUntil(env, at9(day('01-15')));
    await late.executeUpdate(submitCompletionUpdate, { args: [{ actor: '区住建局', summary: '逾期完成' }] });
    await late.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });

    await sleepUntil(env, at9(day('01-18')));
    await eventually('the neglected task’s 约谈 on the ledger', async () =>
      (await store.ledgerFor(neglected.workflowId)).some((e) => e.type === 'InterviewOrdered'),
    );
    await eventually('the projection caught up', async () => {
      const ts = await store.listTasks({ plan });
      return (
        ts.filter((t) => t.status === 'completed').length === 2 &&
        ts.find((t) => t.taskId === '1-3')?.escalation === 'interview'
      );
    });
  });

  // The year's monitoring values: ammonia met in 运河街道, missed in 泥沟镇; the rest met.
  const indicators = createIndicatorService({ store });
  await indicators.start(indicatorPlan(plan, year));
  const rec = (indicator: string, value: string, as = '区环保局', region?: string) =>
    indicators.record(plan, { indicator, year, value, region, as }, 'cli');
  await rec('good-water', '55');
  await rec('black-odorous', '35%', '区住建局');
  await rec('ammonia', '1.2', '区环保局', '运河街道');
  await rec('ammonia', '2.1', '区环保局', '泥沟镇');
  await rec('xiaojihe', 'Ⅱ类', '区环保局', '小季河');

  const counts = (o: object) => ({
    due: 0,
    onTime: 0,
    late: 0,
    pending: 0,
    targets: 0,
    met: 0,
    interviews: 0,
    restrictions: 0,
    accountability: 0,
    ...o,
  });
  const today = day('01-20');
  const a = await assessmentRanking(store, plan, year, today);
  expect(a).toEqual({
    plan,
    year,
    asOf: today,
    policy: {
      weights: { onTime: 60, indicators: 40 },
      deductions: { interview: 5, restriction: 10, accountability: 20 },
    },
    ranking: [
      {
        // No task of its own: the indicators it answers for carry the whole score.
        rank: 1,
        unit: '运河街道',
        kind: 'region',
        score: 100,
        parts: { onTime: null, indicators: 100, escalations: 0 },
        counts: counts({ targets: 2, met: 2 }),
      },
      {
        rank: 2,
        unit: '区环保局',
        kind: 'department',
        score: 90,
        parts: { onTime: 60, indicators: 30, escalations: 0 },
        counts: counts({ due: 1, onTime: 1, targets: 4, met: 3 }),
      },
      {
        rank: 3,
        unit: '区住建局',
        kind: 'department',
        score: 40,
        parts: { onTime: 0, indicators: 40, escalations: 0 },
        counts: counts({ due: 1, late: 1, targets: 1, met: 1 }),
      },
      {
        // Late, its target missed, and a 约谈: never below zero.
        rank: 4,
        unit: '泥沟镇',
        kind: 'region',
        score: 0,
        parts: { onTime: 0, indicators: 0, escalations: -5 },
        counts: counts({ due: 1, late: 1, targets: 1, met: 0, interviews: 1 }),
      },
    ],
  });

  // The CLI says the same.
  let stdout = '';
  const code = await main(['assessment', 'run', '--plan', plan, '--year', String(year), '--json'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: { DUBAN_DATA_DIR: duban.tmp, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    today,
  });
  expect(code).toBe(EXIT.ok);
  expect(JSON.parse(stdout)).toEqual(a);

  // A unit's report prints, its parts in words.
  const text = pdfText(await createAssessmentService({ store }).unitPdf(plan, year, '泥沟镇', today)).replace(
    / /g,
    '',
  );
  expect(text).toContain('年度考核结果');
  expect(text).toContain(`泥沟镇（镇街）${year}年度考核得分0.00分，在4个单位中排名第4。`);
  expect(text).toContain('约谈1次，限批0次，追责0次');
  expect(text).toContain('-5.00');
});
