import { continueAsNew, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { createCalendarActivities } from '../activities/calendar';
import type { createDutyActivities } from '../activities/duty';
import {
  atLocalHour,
  dayOf,
  dutyWorkflowId,
  firstPeriod,
  nextPeriod,
  occurrenceDue,
  occurrenceSpec,
  periodOfLabel,
  resolvePolicy,
  toMillis,
  type DutyOccurrence,
  type DutyStatus,
  type Period,
} from '../domain';
import { dutyQuery, type DutyResult, type DutyWorkflowInput } from './duty-messages';
import { RECORDING, nowIso } from './shell';

type Activities = ReturnType<typeof createCalendarActivities> & ReturnType<typeof createDutyActivities>;
const { getCalendar, recordDuty, startOccurrence } = proxyActivities<Activities>(RECORDING);

/**
 * A recurring duty: one run per period. A run sleeps until its period begins, opens the period's
 * occurrence as a task workflow of its own (started by an activity, as `plan start` starts tasks, not as a
 * child: its ladder runs past the period's end and past the series' end, and answers to no parent), and
 * continues-as-new for the next period; the series ends with the plan. The duty waits for no occurrence:
 * each one is closed, or escalates, as any task does.
 */
export async function dutyWorkflow(input: DutyWorkflowInput): Promise<DutyResult> {
  const { spec } = input;
  const policy = resolvePolicy(spec.policy);
  const run = input.run ?? 0;
  let current: DutyOccurrence | null = input.current ?? null;
  let next: { period: string; opensOn: string } | null = null;
  let status: DutyStatus = 'running';
  setHandler(dutyQuery, () => ({ spec, status, current, next, run }));

  const record = () =>
    recordDuty({
      workflowId: dutyWorkflowId(spec),
      plan: spec.plan,
      id: spec.id,
      region: spec.region ?? null,
      title: spec.title,
      every: spec.every,
      lead: spec.lead,
      cooperating: spec.cooperating,
      from: spec.from,
      until: spec.until,
      status,
      current,
      next,
      updatedAt: nowIso(),
    });
  const end = async (): Promise<DutyResult> => {
    status = 'ended';
    next = null;
    await record();
    return { last: current, runs: run + 1 };
  };

  let p: Period | undefined = input.next ? periodOfLabel(spec.every, input.next) : undefined;
  if (!p) {
    const calendar = await getCalendar();
    p = firstPeriod(spec.every, spec.from);
    // A period already due when the duty starts lies before duban followed the plan: history, not missed work.
    const today = dayOf(Date.now());
    while (p.end <= spec.until && occurrenceDue(calendar, p, policy) < today) p = nextPeriod(spec.every, p);
  }
  if (p.end > spec.until) return end();
  if (!input.next) {
    next = { period: p.label, opensOn: p.start };
    await record();
  }

  const opensAt = toMillis(atLocalHour(p.start, policy.noticeHour));
  if (opensAt > Date.now()) await sleep(opensAt - Date.now());

  // The calendar as it is when the period opens: a year loaded since the duty started counts.
  const due = occurrenceDue(await getCalendar(), p, policy);
  const occ = occurrenceSpec(spec, p, due);
  const { workflowId } = await startOccurrence({
    spec: occ,
    ...(input.commandKey ? { commandKey: input.commandKey } : {}),
    ...(input.searchAttributes ? { searchAttributes: true } : {}),
  });
  current = { id: occ.id, workflowId, period: p.label, due };

  const after = nextPeriod(spec.every, p);
  if (after.end > spec.until) return end();
  next = { period: after.label, opensOn: after.start };
  await record();
  return continueAsNew<typeof dutyWorkflow>({ ...input, next: after.label, current, run: run + 1 });
}
