import { patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { createCalendarActivities } from '../activities/calendar';
import type { createDutyActivities } from '../activities/duty';
import type { createIndicatorActivities } from '../activities/indicators';
import type { createRestrictionActivities } from '../activities/restriction';
import {
  indicatorWorkflowId,
  indicatorYearWorkflowId,
  rectificationSpecs,
  yearCloseAt,
  type YearMiss,
} from '../domain/indicators';
import { taskWorkflowId, type TaskSpec } from '../domain/task-spec';
import { toMillis } from '../domain/time';
import type { IndicatorYearInput, IndicatorYearResult } from './indicator-messages';
import { MAIL, RECORDING, nowIso } from './shell';

type Activities = ReturnType<typeof createIndicatorActivities> &
  ReturnType<typeof createCalendarActivities> &
  ReturnType<typeof createRestrictionActivities> &
  ReturnType<typeof createDutyActivities>;

const {
  indicatorYears,
  judgeIndicatorYear,
  recordIndicatorYearEvents,
  getCalendar,
  restrictionSignal,
  startOccurrence,
} = proxyActivities<Activities>(RECORDING);
const { sendIndicatorNotice } = proxyActivities<Activities>(MAIL);

/** Per year a block of seqs on the plan's chain: a repeated close (a new run) rewrites nothing. */
const seqOf = (year: number, n: number) => year * 1000 + n;

/**
 * Runs before it summoned the 约谈 by a mail no one could act on; from it a miss opens a rectification task
 * whose ladder orders the 约谈 at once, so it is scheduled and recorded like any task's.
 */
const RECTIFICATION_TASKS = 'indicator-rectification-task';

const missOf = (m: YearMiss) => ({
  indicator: m.indicator,
  name: m.name,
  year: m.year,
  ...(m.region !== null ? { region: m.region } : {}),
  op: m.op,
  target: m.target,
  actual: m.actual,
  unit: m.unit,
  department: m.department,
});

/**
 * The plan's years, closed one by one: at 09:00 on the first working day after a target year it judges
 * every indicator on the values recorded by then. A target missed opens the plan's consequence for the
 * responsible 镇街 — a rectification task (整改) for each, led by it with the measuring department, its 约谈
 * ordered at once — and 限批 where the plan says so; a value never reported is put to its department. Years
 * already closed when the plan starts are not judged.
 */
export async function indicatorYearWorkflow(input: IndicatorYearInput): Promise<IndicatorYearResult> {
  const workflowId = indicatorYearWorkflowId(input.plan);
  const startedAt = Date.now();
  const closed: IndicatorYearResult['closed'] = [];
  let after = input.after ?? Number.NEGATIVE_INFINITY;
  for (;;) {
    const calendar = await getCalendar();
    const years = await indicatorYears({ plan: input.plan });
    const year = years.find((y) => y > after && toMillis(yearCloseAt(calendar, y)) > startedAt);
    if (year === undefined) return { closed };
    await sleep(Math.max(0, toMillis(yearCloseAt(calendar, year)) - Date.now()));

    const { judged, missed, unreported } = await judgeIndicatorYear({ plan: input.plan, year });
    const at = nowIso();
    const rectify = patched(RECTIFICATION_TASKS);
    // The calendar as it is at the close: the rectification period may run into a year loaded since.
    const closeCalendar = rectify && missed.length > 0 ? await getCalendar() : calendar;
    const tasks = new Map<YearMiss, TaskSpec[]>(
      rectify ? missed.map((m) => [m, rectificationSpecs(input.plan, m, closeCalendar, at)]) : [],
    );
    let n = 0;
    const events: { type: string; seq: number; at: string; [k: string]: unknown }[] = [];
    const restrictions: { region: string; miss: YearMiss }[] = [];
    for (const m of missed) {
      events.push({ type: 'IndicatorTargetMissed', seq: seqOf(year, ++n), at, ...missOf(m) });
      events.push({
        type: 'IndicatorInterviewOrdered',
        seq: seqOf(year, ++n),
        at,
        indicator: m.indicator,
        year,
        ...(m.region !== null ? { region: m.region } : {}),
        officials: [...m.regions, m.department],
        ...(rectify ? { tasks: tasks.get(m)!.map(taskWorkflowId) } : {}),
      });
      if (m.restriction)
        for (const region of m.regions) {
          events.push({
            type: 'IndicatorRestrictionOrdered',
            seq: seqOf(year, ++n),
            at,
            indicator: m.indicator,
            year,
            region,
            sector: m.restriction.sector,
          });
          restrictions.push({ region, miss: m });
        }
    }
    for (const m of unreported)
      events.push({ type: 'IndicatorUnreported', seq: seqOf(year, ++n), at, ...missOf(m) });
    events.push({
      type: 'IndicatorYearClosed',
      seq: seqOf(year, ++n),
      at,
      year,
      judged,
      missed: missed.length,
      unreported: unreported.length,
    });
    // On the ledger first: a consequence is never out before its record.
    await recordIndicatorYearEvents({ workflowId, events });
    for (const spec of [...tasks.values()].flat())
      await startOccurrence({
        spec,
        ...(input.commandKey ? { commandKey: input.commandKey } : {}),
        ...(input.searchAttributes ? { searchAttributes: true } : {}),
      });
    for (const { region, miss } of restrictions)
      await restrictionSignal({
        region,
        action: 'impose',
        order: {
          sector: miss.restriction!.sector,
          reason: `${year} 年度指标“${miss.name}”未达标 / ${year} target of ${miss.indicator} missed`,
          by: 'indicator',
          taskWorkflowId: indicatorWorkflowId(input.plan, miss.indicator),
        },
      });
    const key = (kind: string, m: YearMiss) => `${year}/${kind}/${m.indicator}/${m.region ?? ''}`;
    // The rectification task's interview tells the officials itself; the summons was the older runs' only word.
    if (!rectify)
      for (const m of missed)
        await sendIndicatorNotice({ workflowId, key: key('interview', m), kind: 'interview', miss: m });
    for (const m of unreported)
      await sendIndicatorNotice({ workflowId, key: key('unreported', m), kind: 'unreported', miss: m });
    closed.push({ year, judged, missed: missed.length, unreported: unreported.length });
    after = year;
  }
}
