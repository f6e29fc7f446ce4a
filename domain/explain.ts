import { builtinCalendar } from './calendar';
import type { PlannedRung } from './escalation';
import { resolvePolicy, type EscalationPolicy, type Span } from './policy';
import type { Rung, TaskEvent } from './task-events';
import { restrictionScope } from './task-spec';
import { evolve, type TaskState } from './task-state';
import { dayOf } from './time';
import { RUNG_ZH } from './vocabulary';

// Why a rung fired or will fire: the policy rule, the calendar its days were counted on, the milder
// rungs passed over. Derived at read time from the event (or the planned rung), the state before it,
// the task's policy and the calendars known now; nothing of it is recorded.

/** Where each year's working days come from, as the store knows now. */
export interface CalendarSources {
  /** Years the `chinese-days` package ships. */
  builtin: readonly number[];
  /** Years an operator loaded, and when: a year loaded after an event was not the one it was counted on. */
  loaded: readonly { year: number; loadedAt: string }[];
}

export const builtinSources = (): CalendarSources => ({ builtin: builtinCalendar().years, loaded: [] });

export interface SkippedRung {
  key: string;
  /** `预警（到期前 30 天）` */
  rung: string;
  why: string;
}

export interface RungWhy {
  /** The policy rule, key and value as the policy spells them: `warningDaysBefore: 30`. */
  rule: string;
  /** The days it was counted in: `自然日`, or working days on a named calendar and year. */
  calendar: string;
  skipped: SkippedRung[];
  /** The whole explanation as the timeline shows it. */
  text: string;
}

const spanOf = (s: Span) => `${s.n}${s.unit}`;
const SKIP_WHY = '同时到期，只发最严重的一级 / due together; only the most severe goes out';

/** `预警（到期前 30 天）` for a rung key (`warning:30@2026-04-01`, `overdue@…`, `interview`, …). */
export function rungLabel(key: string): string {
  const milestone = /^milestone:(\d+):(.*)$/.exec(key);
  if (milestone) return `里程碑 ${milestone[1]} ${rungLabel(milestone[2])}`;
  const warning = /^warning:(\d+)@/.exec(key);
  if (warning) return `${RUNG_ZH.warning}（到期前 ${warning[1]} 天）`;
  const kind = key.split(/[@:]/)[0];
  const k = (
    {
      overdue: 'overdue',
      interview: 'interview',
      restriction: 'restriction',
      accountability: 'accountability',
    } as const
  )[kind];
  return k ? RUNG_ZH[k] : key;
}

/**
 * The calendar years a count of working days from `from` to `to` stepped over, each with its source. A
 * count recorded as provisional stays so for its last year, whatever the package ships today, unless a
 * loaded year had replaced it by then.
 */
function calendarOf(
  span: Span,
  from: string,
  to: string,
  policy: EscalationPolicy,
  sources: CalendarSources,
  at?: string,
  provisional = false,
): string {
  if (policy.secondsPerDay) return `演示时钟，每天 ${policy.secondsPerDay} 秒 / demo clock`;
  if (span.unit === 'd') return '自然日 / calendar days';
  const first = Number(from.slice(0, 4));
  const last = Math.max(first, Number((to || from).slice(0, 4)));
  const years: string[] = [];
  for (let y = first; y <= last; y++) {
    const loaded = sources.loaded.some((l) => l.year === y && (!at || l.loadedAt <= at));
    if (loaded) years.push(`${y} 年已加载日历 / loaded`);
    else if (sources.builtin.includes(y) && !(provisional && y === last))
      years.push(`${y} 年内置日历 / built-in`);
    else years.push(`${y} 年暂定：节假日安排未公布，按周一至周五 / provisional`);
  }
  return `${span.n} 个工作日，${years.join('；')}`;
}

function why(rule: string, calendar: string, skipped: SkippedRung[], extra = ''): RungWhy {
  const skip = skipped.length ? `；略过 ${skipped.map((s) => s.rung).join('、')}（${SKIP_WHY}）` : '';
  return { rule, calendar, skipped, text: `依据 ${rule}（${calendar}）${extra}${skip}` };
}

const skippedOf = (keys: readonly string[] = []): SkippedRung[] =>
  keys.map((key) => ({ key, rung: rungLabel(key), why: SKIP_WHY }));

/** The rule of a rung, given the state it fires from; `day` is the day it fires on, `at` when. */
function ruleOf(
  rung: Rung,
  s: TaskState,
  policy: EscalationPolicy,
  sources: CalendarSources,
  day: string,
  skipped: SkippedRung[],
  at?: string,
  provisional = false,
): RungWhy {
  const assignedDay = dayOf(s.assignedAt);
  const cal = (span: Span, from: string) => calendarOf(span, from, day, policy, sources, at, provisional);
  switch (rung.kind) {
    case 'ackReminder': {
      const last = s.ackReminded[rung.department];
      const [key, span] = last
        ? (['ackReminderEvery', policy.ackReminderEvery] as const)
        : (['ackReminderAfter', policy.ackReminderAfter] as const);
      return why(`${key}: ${spanOf(span)}`, cal(span, last ?? assignedDay), skipped);
    }
    case 'ackAlert':
      return why(
        `ackAlertAfter: ${spanOf(policy.ackAlertAfter)}`,
        cal(policy.ackAlertAfter, assignedDay),
        skipped,
      );
    case 'warning':
      return why(
        `warningDaysBefore: ${rung.daysBefore}`,
        cal({ n: rung.daysBefore, unit: 'd' }, day),
        skipped,
        `，截止日期 ${s.due}`,
      );
    case 'overdue':
      return why(`due: ${s.due}`, '截止日期次日起逾期 / overdue from the day after', skipped);
    case 'milestoneWarning': {
      const m = s.milestones?.[rung.milestone - 1];
      return why(
        `warningDaysBefore: ${rung.daysBefore}`,
        cal({ n: rung.daysBefore, unit: 'd' }, day),
        skipped,
        `，里程碑 ${rung.milestone}「${m?.title ?? ''}」日期 ${m?.due ?? '—'}`,
      );
    }
    case 'milestoneOverdue': {
      const m = s.milestones?.[rung.milestone - 1];
      return why(
        `milestones[${rung.milestone - 1}].due: ${m?.due ?? '—'}`,
        '里程碑日期次日起逾期 / overdue from the day after the milestone',
        skipped,
        `，里程碑 ${rung.milestone}「${m?.title ?? ''}」`,
      );
    }
    case 'interview': {
      if (s.spec.interviewAtStart)
        return why(
          `interviewAtStart.reason: ${s.spec.interviewAtStart.reason}`,
          '交办即约谈 / ordered with the assignment',
          skipped,
        );
      const from = s.due > assignedDay ? s.due : assignedDay;
      return why(
        `interviewAfterOverdue: ${spanOf(policy.interviewAfterOverdue)}`,
        cal(policy.interviewAfterOverdue, from),
        skipped,
        `，自 ${from} 起算`,
      );
    }
    case 'restriction': {
      const scope = restrictionScope(s.spec);
      return why(
        `rectificationPeriod: ${spanOf(policy.rectificationPeriod)}`,
        `整改期限 ${s.interview?.rectificationDue ?? '—'} 已过，次日限批 / the day after the rectification due date`,
        skipped,
        scope ? `，限批范围 restriction.sector: ${scope.sector}` : '',
      );
    }
    case 'accountability': {
      const rect = s.interview?.rectificationDue ?? '—';
      if (!restrictionScope(s.spec))
        return why(
          `rectificationPeriod: ${spanOf(policy.rectificationPeriod)}`,
          `整改期限 ${rect} 已过，无限批范围，次日追责 / no restriction scope: the day after`,
          skipped,
        );
      const span = policy.accountabilityAfterRectification;
      return why(
        `accountabilityAfterRectification: ${spanOf(span)}`,
        cal(span, rect),
        skipped,
        `，整改期限 ${rect}`,
      );
    }
  }
}

/** The rung an event records, and the day it belongs to, if it is one of the ladder's. */
function rungOfEvent(e: TaskEvent): Rung | undefined {
  switch (e.type) {
    case 'AckReminderSent':
      return { kind: 'ackReminder', department: e.department };
    case 'AckAlertRaised':
      return { kind: 'ackAlert', department: e.department };
    case 'WarningIssued':
      return { kind: 'warning', daysBefore: e.daysBefore };
    case 'OverdueNoticed':
      return { kind: 'overdue' };
    case 'MilestoneWarningIssued':
      return { kind: 'milestoneWarning', milestone: e.milestone, daysBefore: e.daysBefore };
    case 'MilestoneOverdueNoticed':
      return { kind: 'milestoneOverdue', milestone: e.milestone };
    case 'InterviewOrdered':
      return { kind: 'interview' };
    case 'RestrictionImposed':
      return { kind: 'restriction' };
    case 'AccountabilityRecorded':
      return { kind: 'accountability' };
    default:
      return undefined;
  }
}

/**
 * Why a recorded event happened, from the state just before it; undefined for events no rule fires
 * (commands). An interview's and a recorded interview's rectification due date say how it was counted.
 */
export function explainEvent(
  e: TaskEvent,
  before: TaskState | undefined,
  policy: EscalationPolicy,
  sources: CalendarSources = builtinSources(),
): RungWhy | undefined {
  if (!before) return undefined;
  const period = policy.rectificationPeriod;
  const rect = (from: string | undefined, due: string, provisional?: boolean) =>
    from
      ? `整改期限 ${due} 依据 rectificationPeriod: ${spanOf(period)}（${calendarOf(period, from, due, policy, sources, e.at, provisional)}），自 ${from} 起算`
      : `整改期限 ${due} 由督查室指定 / set by the supervisor`;
  if (e.type === 'InterviewRecorded') {
    const from = e.rectificationFrom;
    return {
      rule: from ? `rectificationPeriod: ${spanOf(period)}` : 'rectificationDue',
      calendar: from
        ? calendarOf(period, from, e.rectificationDue, policy, sources, e.at, e.provisional)
        : '督查室指定',
      skipped: [],
      text: rect(from, e.rectificationDue, e.provisional),
    };
  }
  const rung = rungOfEvent(e);
  if (!rung) return undefined;
  const day = e.type === 'AckReminderSent' ? e.day : dayOf(e.at);
  const skipped = skippedOf('skipped' in e ? e.skipped : undefined);
  // The rectification due date the rung was fired against is the event's (a provisional one is re-counted).
  const s =
    e.type === 'RestrictionImposed' || e.type === 'AccountabilityRecorded'
      ? {
          ...before,
          interview: {
            ...(before.interview ?? { n: 0, orderedAt: e.at, provisional: false }),
            rectificationDue: e.rectificationDue,
          },
        }
      : before;
  const ackProvisional = (e.type === 'AckReminderSent' || e.type === 'AckAlertRaised') && e.provisional;
  const w = ruleOf(rung, s, policy, sources, day, skipped, e.at, ackProvisional);
  if (e.type !== 'InterviewOrdered') return w;
  return { ...w, text: `${w.text}；${rect(e.rectificationFrom, e.rectificationDue, e.provisional)}` };
}

/** Each event of a history with why it happened (undefined for commands), folding the history as it goes. */
export function explainHistory(
  events: readonly TaskEvent[],
  sources: CalendarSources = builtinSources(),
  policy?: EscalationPolicy,
): (RungWhy | undefined)[] {
  let s: TaskState | undefined;
  let p = policy;
  return events.map((e) => {
    if (e.type === 'TaskAssigned') p ??= resolvePolicy(e.spec.policy);
    const w = p ? explainEvent(e, s, p, sources) : undefined;
    s = evolve(s, e);
    return w;
  });
}

const SEVERITY: Rung['kind'][] = ['warning', 'overdue', 'interview', 'restriction', 'accountability'];

/**
 * Why each planned rung is planned, and, of deadline rungs due at the same instant, which will be passed
 * over for the most severe (the rule `escalate` applies).
 */
export function explainPlanned(
  rungs: readonly PlannedRung[],
  s: TaskState,
  policy: EscalationPolicy,
  sources: CalendarSources = builtinSources(),
): RungWhy[] {
  const deadline = rungs.filter((p) => SEVERITY.includes(p.rung.kind));
  const chosenAt = new Map<string, PlannedRung>();
  for (const p of deadline) {
    const best = chosenAt.get(p.at);
    if (!best || SEVERITY.indexOf(p.rung.kind) >= SEVERITY.indexOf(best.rung.kind)) chosenAt.set(p.at, p);
  }
  return rungs.map((p) => {
    const chosen = chosenAt.get(p.at);
    const passes = chosen === p ? deadline.filter((q) => q !== p && q.at === p.at).map((q) => q.key) : [];
    const w = ruleOf(p.rung, s, policy, sources, p.day, skippedOf(passes), undefined, p.provisional);
    if (chosen && chosen !== p && SEVERITY.includes(p.rung.kind))
      return { ...w, text: `${w.text}；将略过：与 ${rungLabel(chosen.key)} 同时到期 / will be skipped` };
    return w;
  });
}
