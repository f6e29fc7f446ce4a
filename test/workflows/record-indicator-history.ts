/**
 * The year-close workflow's recorded lives for the replay test: a plan with this year's targets only, one met,
 * one missed with 限批, one never reported; the year closes and the workflow ends. v1 summoned the 约谈 by
 * mail; v2 opens a rectification task for the miss, whose own life (its 约谈 ordered at assignment, set,
 * recorded, then the task cancelled) is saved beside it.
 */
import { builtinCalendar, dayOf, toMillis } from '../../domain';
import { indicatorYearWorkflowId, yearCloseAt } from '../../domain/indicators';
import type { TaskState } from '../../domain';
import { cancelUpdate, recordInterviewUpdate, scheduleInterviewUpdate } from '../../workflows/task-messages';
import { createIndicatorService } from '../../services/indicators';
import type { IndicatorYearResult } from '../../workflows/indicator-messages';
import { indicatorPlan } from '../helpers/indicator-plan';
import type { Recorded, Recording } from './record-histories';

export const INDICATOR_RECORD_PLAN = 'record-ind';
export const INDICATOR_RECORD_PLAN_V2 = 'record-ind2';
const rectificationTaskId = (year: number) =>
  `task/${INDICATOR_RECORD_PLAN_V2}/rectify-${year}-black-odorous/运河街道`;
export const INDICATOR_WORKFLOW_IDS: Record<string, string> = {
  'indicator-year-v1': indicatorYearWorkflowId(INDICATOR_RECORD_PLAN),
  'indicator-year-v2': indicatorYearWorkflowId(INDICATOR_RECORD_PLAN_V2),
};

export const recordIndicatorYear: Recording = (duban) => recordYear(duban, INDICATOR_RECORD_PLAN, 'v1');
export const recordIndicatorYearV2: Recording = (duban) => recordYear(duban, INDICATOR_RECORD_PLAN_V2, 'v2');

async function recordYear(
  duban: Parameters<Recording>[0],
  plan: string,
  v: 'v1' | 'v2',
): ReturnType<Recording> {
  const { env, store } = duban;
  const taskQueue = `record-indicator-year-${v}`;
  const year = Number(dayOf(await env.currentTimeMs()).slice(0, 4));
  const b = indicatorPlan(plan, year);
  for (const ind of b.indicators) ind.targets = ind.targets.filter((t) => t.year === year);
  const service = createIndicatorService({ store, client: env.client, taskQueue });
  const worker = await duban.createWorker(taskQueue);
  return worker.runUntil(async (): Promise<Recorded> => {
    await service.start(b);
    const rec = (indicator: string, value: string, as: string, region?: string) =>
      service.record(plan, { indicator, year, value, region, as }, 'cli');
    await rec('good-water', '55', '区环保局');
    await rec('black-odorous', '45', '区住建局');
    await rec('xiaojihe', 'Ⅱ', '区环保局', '小季河');
    const h = env.client.workflow.getHandle(indicatorYearWorkflowId(plan));
    await env.sleep(toMillis(yearCloseAt(builtinCalendar(), year)) + 60_000 - (await env.currentTimeMs()));
    const result = (await h.result()) as IndicatorYearResult;
    expect(result).toEqual({ closed: [{ year, judged: 5, missed: 1, unreported: 2 }] });
    if (v === 'v1') return { 'indicator-year-v1': await h.fetchHistory() };
    const task = env.client.workflow.getHandle(rectificationTaskId(year));
    const day = dayOf(await env.currentTimeMs());
    await task.executeUpdate(scheduleInterviewUpdate, {
      args: [{ actor: 'supervisor', at: `${day} 15:00`, place: '区政府第三会议室' }],
    });
    await task.executeUpdate(recordInterviewUpdate, {
      args: [
        { actor: 'supervisor', attendees: ['运河街道主任', '区住建局局长'], opinions: '年内消除黑臭水体' },
      ],
    });
    await task.executeUpdate(cancelUpdate, {
      args: [{ actor: 'supervisor', reason: '录制结束 / recording over' }],
    });
    expect(((await task.result()) as TaskState).interview?.recorded).toBeDefined();
    return {
      'indicator-year-v2': await h.fetchHistory(),
      'task-rectification-v1': await task.fetchHistory(),
    };
  });
}
