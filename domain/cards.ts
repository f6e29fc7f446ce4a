import { z } from 'zod';
import { shapeRefusal, type ArgumentRejection } from './commands';
import type { Enterprise } from './enterprise';
import type { Audience } from './notifications';
import { SUPERVISOR, type Rejection } from './task-events';
import { forbiddenChar } from './text';
import { addDays, atLocalHour, dayOf, daysBetween, isIsoDate, isoInstant, toMillis } from './time';

// 红黄牌: a 黄牌 (限产 or 停产整治) gives an enterprise until a day to put things right; a passing
// re-inspection lifts it, a failed one or the day passing turns it 红牌 (停业 or 关闭) and leadership hears.

export const CARD_COLORS = ['yellow', 'red'] as const;
export type CardColor = (typeof CARD_COLORS)[number];
export const CARD_MEASURES = { yellow: ['限产', '停产整治'], red: ['停业', '关闭'] } as const;
export type CardMeasure = (typeof CARD_MEASURES)[CardColor][number];
export const DEFAULT_MEASURE: Record<CardColor, CardMeasure> = { yellow: '停产整治', red: '停业' };
export const COLOR_ZH: Record<CardColor, string> = { yellow: '黄牌', red: '红牌' };
export const INSPECTION_RESULTS = ['pass', 'fail'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

/** Who cards and how long a 黄牌 lasts: config (DUBAN_CARD_*), parsed once, travelling in each card's input. */
export const CardPolicy = z
  .object({
    /** The department that registers, inspects and cards enterprises (besides the 督查室). */
    department: z.string().trim().min(1).max(100).default('区环保局'),
    /** 整改期限 when a 黄牌 names no day: this many calendar days from the day it is given. */
    periodDays: z.number().int().min(1).max(3650).default(30),
    /** Reminders to the 镇街 and the department, this many days before the deadline. */
    reminderDaysBefore: z.array(z.number().int().min(1).max(365)).default([7, 1]),
    /** Local hour (Asia/Shanghai) at which reminders go out and a missed deadline is judged. */
    noticeHour: z.number().int().min(0).max(23).default(9),
    /** Demonstrations only: a day lasts this many seconds, counted from the card. */
    secondsPerDay: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();
export type CardPolicy = z.infer<typeof CardPolicy>;
export type CardPolicyInput = z.input<typeof CardPolicy>;
export const DEFAULT_CARD_POLICY: CardPolicy = CardPolicy.parse({});

/** How a card reads time: real days in Asia/Shanghai, or the demo policy's short days from the card. */
export interface CardClock {
  today(now: string): string;
  /** When the card's notices for a day go out. */
  at(day: string): string;
}

export function cardClock(issuedAt: string, policy: CardPolicy): CardClock {
  const spd = policy.secondsPerDay;
  if (!spd) return { today: (now) => dayOf(now), at: (day) => atLocalHour(day, policy.noticeHour) };
  const day0 = dayOf(issuedAt);
  const start = toMillis(issuedAt);
  return {
    today: (now) => addDays(day0, Math.floor((toMillis(now) - start) / (spd * 1000))),
    at: (day) => isoInstant(start + daysBetween(day0, day) * spd * 1000),
  };
}

export type CardEventBody =
  | ({
      type: 'CardIssued';
      card: number;
      color: CardColor;
      measure: CardMeasure;
      reason: string;
      due?: string;
      plan?: string;
      by: string;
    } & Omit<Enterprise, 'code'>)
  | { type: 'CardReminded'; card: number; due: string; daysLeft: number }
  | { type: 'EnterpriseInspected'; card?: number; result: InspectionResult; note: string; by: string }
  | {
      type: 'CardTurnedRed';
      card: number;
      measure: CardMeasure;
      cause: 'inspection_failed' | 'deadline_missed';
    }
  | { type: 'CardLifted'; card: number; by: string; note: string };

/** A step of a card, numbered within it from 1 (the ledger numbers it again on the enterprise's chain). */
export type CardEvent = CardEventBody & { step: number; at: string };

export interface CardState {
  code: string;
  /** The enterprise's cards are numbered from 1. */
  card: number;
  enterprise: Enterprise;
  plan?: string;
  color: CardColor;
  measure: CardMeasure;
  reason: string;
  issuedAt: string;
  issuedBy: string;
  /** Since when it has been this color. */
  since: string;
  /** A 黄牌's 整改期限 (the last day to put things right). */
  due?: string;
  status: 'open' | 'lifted';
  lifted?: { at: string; by: string; note: string };
  /**
   * Reminders for this many days before the deadline and more are done (sent, or their moment had passed
   * when the card was given): a reminder's moment is earlier the more days it is before.
   */
  remindedFrom?: number;
  inspections: { at: string; result: InspectionResult; note: string; by: string }[];
  step: number;
}

export type CardDecision = { ok: true; events: CardEvent[] } | { ok: false; rejection: Rejection };

const refuse = (
  code: string,
  zh: string,
  en: string,
  field?: string,
): { ok: false; rejection: Rejection } => ({
  ok: false,
  rejection: { code, zh, en, ...(field ? { field } : {}) },
});

export const MAX_CARD_TEXT = 2000;

/** Whether `actor` may register, inspect and card enterprises: the policy's department or the 督查室. */
export function mayManageEnterprises(actor: string, policy: CardPolicy): boolean {
  const a = actor.trim();
  return a === policy.department || a === SUPERVISOR;
}

export const notCardManager = (policy: CardPolicy): Rejection => ({
  code: 'not_card_manager',
  field: 'actor',
  zh: `只有${policy.department}或督查室可以登记企业、检查和挂牌`,
  en: `only ${policy.department} or a supervisor may register, inspect or card an enterprise`,
});

function textRefusal(
  value: unknown,
  field: string,
  zh: string,
): { ok: false; rejection: Rejection } | undefined {
  if (typeof value !== 'string' || value.trim() === '')
    return refuse('missing_text', `请填写${zh}`, `${field} is required`, field);
  if (value.trim().length > MAX_CARD_TEXT)
    return refuse(
      'text_too_long',
      `${zh}过长（最多 ${MAX_CARD_TEXT} 字）`,
      `${field} is too long (max ${MAX_CARD_TEXT})`,
      field,
    );
  const c = forbiddenChar(value, true);
  if (c) return refuse('control_char', `${zh}含有控制字符`, `${field} contains a control character`, field);
  return undefined;
}

/** What giving a card takes (the enterprise as registered; who gives it, why, until when). */
export interface CardOrder {
  enterprise: Enterprise;
  card: number;
  color: CardColor;
  measure?: CardMeasure;
  reason: string;
  due?: string;
  plan?: string;
  by: string;
}

/** The card's first step, or why it cannot be given. */
export function decideIssue(order: CardOrder, now: string, policy: CardPolicy): CardDecision {
  if (!mayManageEnterprises(order.by, policy)) return { ok: false, rejection: notCardManager(policy) };
  if (!(CARD_COLORS as readonly string[]).includes(order.color))
    return refuse(
      'bad_color',
      '颜色应为 yellow（黄牌）或 red（红牌）',
      'color must be yellow or red',
      'color',
    );
  const measures: readonly string[] = CARD_MEASURES[order.color];
  const measure = order.measure ?? DEFAULT_MEASURE[order.color];
  if (!measures.includes(measure))
    return refuse(
      'bad_measure',
      `${COLOR_ZH[order.color]}的措施应为 ${measures.join('或')}`,
      `a ${order.color} card's measure is ${measures.join(' or ')}`,
      'measure',
    );
  const bad = textRefusal(order.reason, 'reason', '理由');
  if (bad) return bad;
  let due: string | undefined;
  if (order.color === 'yellow') {
    const today = cardClock(now, policy).today(now);
    due = order.due?.trim() || addDays(today, policy.periodDays);
    if (!isIsoDate(due))
      return refuse(
        'bad_due',
        `整改期限“${due}”不是日期（YYYY-MM-DD）`,
        `due: “${due}” is not a date (YYYY-MM-DD)`,
        'due',
      );
    if (due < today)
      return refuse('due_passed', `整改期限 ${due} 已过`, `due: ${due} has already passed`, 'due');
  } else if (order.due !== undefined && order.due.trim() !== '')
    return refuse('due_on_red', '红牌没有整改期限', 'a red card has no rectification deadline', 'due');
  const { code: _code, ...where } = order.enterprise;
  return {
    ok: true,
    events: [
      {
        type: 'CardIssued',
        card: order.card,
        color: order.color,
        measure: measure as CardMeasure,
        reason: order.reason.trim(),
        ...(due ? { due } : {}),
        ...(order.plan ? { plan: order.plan } : {}),
        by: order.by.trim(),
        ...where,
        step: 1,
        at: now,
      },
    ],
  };
}

/** The state a card's first step makes (reminders whose moment had already passed count as sent). */
export function issuedCard(order: CardOrder, issued: CardEvent, policy: CardPolicy): CardState {
  if (issued.type !== 'CardIssued') throw new Error('a card begins with CardIssued');
  const clock = cardClock(issued.at, policy);
  const due = issued.due;
  return {
    code: order.enterprise.code,
    card: issued.card,
    enterprise: order.enterprise,
    ...(issued.plan ? { plan: issued.plan } : {}),
    color: issued.color,
    measure: issued.measure,
    reason: issued.reason,
    issuedAt: issued.at,
    issuedBy: issued.by,
    since: issued.at,
    ...(due ? { due } : {}),
    status: 'open',
    ...remindedFrom(
      due ? policy.reminderDaysBefore.filter((d) => clock.at(addDays(due, -d)) <= issued.at) : [],
    ),
    inspections: [],
    step: 1,
  };
}

/** When a 黄牌 is judged missed: the notice hour of the day after its deadline. */
export const deadlineAt = (s: Pick<CardState, 'due' | 'issuedAt'>, policy: CardPolicy): string | undefined =>
  s.due === undefined ? undefined : cardClock(s.issuedAt, policy).at(addDays(s.due, 1));

/** The next moment the card has something to do by itself (a reminder, the deadline); none once red or lifted. */
export function nextCardRung(s: CardState, policy: CardPolicy): string | undefined {
  if (s.status !== 'open' || s.color !== 'yellow' || s.due === undefined) return undefined;
  const clock = cardClock(s.issuedAt, policy);
  const due = s.due;
  const times = policy.reminderDaysBefore.filter((d) => pending(s, d)).map((d) => clock.at(addDays(due, -d)));
  return [...times, deadlineAt(s, policy)!].sort()[0];
}

/** What the clock brings at `now`: the deadline missed turns it red; else the latest reminder due. */
export function decideTime(s: CardState, now: string, policy: CardPolicy): CardEvent[] {
  if (s.status !== 'open' || s.color !== 'yellow' || s.due === undefined) return [];
  const at = deadlineAt(s, policy)!;
  if (now >= at)
    return [
      {
        type: 'CardTurnedRed',
        card: s.card,
        measure: '停业',
        cause: 'deadline_missed',
        step: s.step + 1,
        at: now,
      },
    ];
  const clock = cardClock(s.issuedAt, policy);
  const due = s.due;
  const dueNow = policy.reminderDaysBefore
    .filter((d) => pending(s, d) && clock.at(addDays(due, -d)) <= now)
    .sort((a, b) => a - b);
  if (dueNow.length === 0) return [];
  return [{ type: 'CardReminded', card: s.card, due, daysLeft: dueNow[0], step: s.step + 1, at: now }];
}

/** A re-inspection as a client sends it. */
export const INSPECT_ARGS = z.strictObject({
  actor: z.string(),
  result: z.enum(INSPECTION_RESULTS),
  note: z.string(),
});
export type InspectArgs = z.input<typeof INSPECT_ARGS>;

/** The argument's shape, or why it is malformed (naming the field). */
export function inspectRefusal(arg: unknown): ArgumentRejection | undefined {
  return shapeRefusal(INSPECT_ARGS, arg);
}

export const NO_OPEN_CARD = (code: string): Rejection => ({
  code: 'no_open_card',
  field: 'code',
  zh: `企业 ${code} 没有未撤销的黄牌或红牌，复查合格无牌可撤`,
  en: `enterprise ${code} has no open card; a passing inspection has nothing to lift`,
});

/** A re-inspection of a carded enterprise: pass lifts the card; fail turns a 黄牌 red (a 红牌 stays red). */
export function decideInspection(
  s: CardState,
  arg: InspectArgs,
  now: string,
  policy: CardPolicy,
): CardDecision {
  const shape = inspectRefusal(arg);
  if (shape) return { ok: false, rejection: shape };
  if (!mayManageEnterprises(arg.actor, policy)) return { ok: false, rejection: notCardManager(policy) };
  const bad = textRefusal(arg.note, 'note', '检查情况');
  if (bad) return bad;
  if (s.status !== 'open') return { ok: false, rejection: NO_OPEN_CARD(s.code) };
  const by = arg.actor.trim();
  const note = arg.note.trim();
  let step = s.step;
  const events: CardEvent[] = [
    { type: 'EnterpriseInspected', card: s.card, result: arg.result, note, by, step: ++step, at: now },
  ];
  if (arg.result === 'pass')
    events.push({ type: 'CardLifted', card: s.card, by, note, step: ++step, at: now });
  else if (s.color === 'yellow')
    events.push({
      type: 'CardTurnedRed',
      card: s.card,
      measure: '停业',
      cause: 'inspection_failed',
      step: ++step,
      at: now,
    });
  return { ok: true, events };
}

export function evolveCard(s: CardState, e: CardEvent): CardState {
  const next = { ...s, step: e.step };
  switch (e.type) {
    case 'CardIssued':
      return next;
    case 'CardReminded':
      return { ...next, remindedFrom: e.daysLeft };
    case 'EnterpriseInspected':
      return {
        ...next,
        inspections: [...s.inspections, { at: e.at, result: e.result, note: e.note, by: e.by }],
      };
    case 'CardTurnedRed':
      return { ...next, color: 'red', measure: e.measure, since: e.at };
    case 'CardLifted':
      return { ...next, status: 'lifted', lifted: { at: e.at, by: e.by, note: e.note } };
  }
}

const remindedFrom = (done: number[]): { remindedFrom?: number } =>
  done.length === 0 ? {} : { remindedFrom: Math.min(...done) };

/** Whether the reminder `d` days before is still to come (one sent later stands for those before it). */
const pending = (s: Pick<CardState, 'remindedFrom'>, d: number): boolean =>
  s.remindedFrom === undefined || d < s.remindedFrom;

/** A mail a card sends; `key` is unique on the card's workflow, for the outbox. */
export interface CardNotice {
  key: string;
  kind: 'reminder' | 'red';
  code: string;
  card: number;
  enterprise: Enterprise;
  measure: CardMeasure;
  reason: string;
  due?: string;
  daysLeft?: number;
  cause?: 'inspection_failed' | 'deadline_missed' | 'issued';
  at: string;
  /** The environment department (the policy's), told with the 镇街. */
  department: string;
}

/** The notices a step sends: reminders to the 镇街 and the department; a 红牌 to leadership too. */
export function cardNotices(s: CardState, events: readonly CardEvent[], policy: CardPolicy): CardNotice[] {
  const base = {
    code: s.code,
    card: s.card,
    enterprise: s.enterprise,
    reason: s.reason,
    department: policy.department,
  };
  return events.flatMap((e): CardNotice[] => {
    if (e.type === 'CardReminded')
      return [
        {
          ...base,
          key: `${s.card}-remind-${e.daysLeft}`,
          kind: 'reminder',
          measure: s.measure,
          due: e.due,
          daysLeft: e.daysLeft,
          at: e.at,
        },
      ];
    if (e.type === 'CardTurnedRed')
      return [
        {
          ...base,
          key: `${s.card}-red`,
          kind: 'red',
          measure: e.measure,
          ...(s.due ? { due: s.due } : {}),
          cause: e.cause,
          at: e.at,
        },
      ];
    if (e.type === 'CardIssued' && e.color === 'red')
      return [{ ...base, key: `${s.card}-red`, kind: 'red', measure: e.measure, cause: 'issued', at: e.at }];
    return [];
  });
}

export function cardAudience(n: CardNotice): Audience[] {
  const local: Audience[] = [{ department: n.enterprise.region }, { department: n.department }];
  return n.kind === 'red' ? [{ role: 'leadership' }, ...local] : local;
}

/** One card as the store keeps it for lists. */
export interface CardRecord {
  code: string;
  card: number;
  name: string;
  region: string;
  sector: string;
  plan?: string;
  /** Now, or when lifted. */
  color: CardColor;
  measure: CardMeasure;
  /** As given (a 黄牌 that turned red was yellow first). */
  issuedColor: CardColor;
  issuedMeasure: CardMeasure;
  reason: string;
  issuedAt: string;
  since: string;
  due?: string;
  status: 'open' | 'lifted';
  liftedAt?: string;
}

/** A card as the public sees it: the enterprise, the card, the dates; nobody's name, no free text. */
export interface PublicCard {
  name: string;
  code: string;
  region: string;
  sector: string;
  color: CardColor;
  measure: CardMeasure;
  /** The day it became this color. */
  since: string;
  /** A 黄牌's 整改期限. */
  due?: string;
  /** The day it was lifted (in a past year's lists). */
  lifted?: string;
}

export interface PublicCardLists {
  yellow: PublicCard[];
  red: PublicCard[];
}

/**
 * The yellow and red lists. Without a year: the cards open now. With one: every card open at some time in
 * that year, in the color it last had then. With a plan: its cards and those given under no plan.
 */
export function publicLists(
  records: readonly CardRecord[],
  f: { plan?: string; year?: number } = {},
): PublicCardLists {
  const out: PublicCardLists = { yellow: [], red: [] };
  const y = f.year === undefined ? undefined : String(f.year);
  for (const r of records) {
    if (f.plan !== undefined && r.plan !== undefined && r.plan !== f.plan) continue;
    const lifted = r.liftedAt === undefined ? undefined : dayOf(r.liftedAt);
    if (y === undefined) {
      if (r.status !== 'open') continue;
    } else if (dayOf(r.issuedAt).slice(0, 4) > y || (lifted !== undefined && lifted.slice(0, 4) < y))
      continue;
    const redThen = r.color === 'red' && (y === undefined || dayOf(r.since).slice(0, 4) <= y);
    const color: CardColor = redThen ? 'red' : 'yellow';
    out[color].push({
      name: r.name,
      code: r.code,
      region: r.region,
      sector: r.sector,
      color,
      measure: redThen ? r.measure : r.issuedMeasure,
      since: dayOf(redThen ? r.since : r.issuedAt),
      ...(r.due && color === 'yellow' ? { due: r.due } : {}),
      ...(y !== undefined && lifted !== undefined && lifted.slice(0, 4) === y ? { lifted } : {}),
    });
  }
  return out;
}

/** The card workflow's id: one open card per enterprise at a time, each card a new run. */
export const cardWorkflowId = (code: string): string => `card/${code.trim().toUpperCase()}`;

/** An open card as the registry lists it beside its enterprise (the CLI's --json, GET /api/enterprises). */
export function cardSummary(c: CardRecord) {
  return {
    card: c.card,
    color: c.color,
    measure: c.measure,
    since: c.since,
    ...(c.due ? { due: c.due } : {}),
  };
}
