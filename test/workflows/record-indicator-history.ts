/**
 * The year-close workflow's recorded life for the replay test: a plan with this year's targets only, one met,
 * one missed with 限批, one never reported; the year closes and the workflow ends.
 */
import { builtinCalendar, dayOf, toMillis } from '../../domain';
import { indicatorYearWorkflowId, yearCloseAt } from '../../domain/indicators';
import { createIndicatorService } from '../../services/indicators';
import type { IndicatorYearResult } from '../../workflows/indicator-messages';
import { indicatorPlan } from '../helpers/indicator-plan';
import type { Recording } from './record-histories';

export const INDICATOR_RECORD_PLAN = 'record-ind';
export const INDICATOR_WORKFLOW_IDS: Record<string, string> = {
  'indicator-year-v1': indicatorYearWorkflowId(INDICATOR_RECORD_PLAN),
};

export const recordIndicatorYear: Recording = async (duban) => {
  const { env, store } = duban;
  const taskQueue = 'record-indicator-year';
  const year = Number(dayOf(await env.currentTimeMs()).slice(0, 4));
  const b = indicatorPlan(INDICATOR_RECORD_PLAN, year);
  for (const ind of b.indicators) ind.targets = ind.targets.filter((t) => t.year === year);
  const service = createIndicatorService({ store, client: env.client, taskQueue });
  const worker = await duban.createWorker(taskQueue);
  return worker.runUntil(async () => {
    await service.start(b);
    const rec = (indicator: string, value: string, as: string, region?: string) =>
      service.record(INDICATOR_RECORD_PLAN, { indicator, year, value, region, as }, 'cli');
    await rec('good-water', '55', '区环保局');
    await rec('black-odorous', '45', '区住建局');
    await rec('xiaojihe', 'Ⅱ', '区环保局', '小季河');
    const h = env.client.workflow.getHandle(indicatorYearWorkflowId(INDICATOR_RECORD_PLAN));
    await env.sleep(toMillis(yearCloseAt(builtinCalendar(), year)) + 60_000 - (await env.currentTimeMs()));
    const result = (await h.result()) as IndicatorYearResult;
    expect(result).toEqual({ closed: [{ year, judged: 5, missed: 1, unreported: 2 }] });
    return { 'indicator-year-v1': await h.fetchHistory() };
  });
};
