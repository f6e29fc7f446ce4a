import { bulletinOf, type BulletinRow } from '../domain/bulletin';
import { isSlug, slugMessage, type RestrictionRecord, type TaskEvent, type TaskSummary } from '../domain';
import {
  actualText,
  indicatorStatus,
  targetText,
  type IndicatorDef,
  type RecordedValue,
} from '../domain/indicators';
import { stateOf } from '../domain/task-days';
import { dayOf } from '../domain/time';
import { loadPlans } from '../office/plans';
import { BadInput } from './errors';
import { TtlCache } from './ttl-cache';

// The yearly public report (每年向社会公布): what a plan's year came to, in figures and units only. Nothing
// here carries a person's name nor free text someone typed (a reason, a note, an interview's attendees):
// only unit names, task titles, dates and numbers leave this file.

/** One unit's line: the tasks due in the year, as they stood at the year's end (or today, while it runs). */
export interface ReportRow {
  unit: string;
  /** Due in the year, not cancelled. */
  planned: number;
  /** Verified. */
  done: number;
  /** Verified, submitted by the due date in force. */
  onTime: number;
  /** Open past the due date. */
  overdue: number;
  /** onTime / (done + overdue); null while nothing has come due or been done. */
  rate: number | null;
}

export interface ReportTarget {
  region?: string;
  /** `≥ 10%`, `达到或优于 Ⅲ类`. */
  target: string;
  /** `12%`, or null while none was reported. */
  actual: string | null;
  /** null while no value is recorded. */
  met: boolean | null;
}

export interface ReportIndicator {
  id: string;
  name: string;
  unit: string;
  department: string;
  targets: ReportTarget[];
}

export interface ReportRestriction {
  region: string;
  sector: string;
  since: string;
  /** `任务 2-1-1 …整改逾期未完成`, `指标年度考核未达标`, or `督查室决定`. */
  cause: string;
}

/** An enterprise on the 红黄牌 list, as published. */
export interface ReportCard {
  enterprise: string;
  /** 统一社会信用代码. */
  code?: string;
  region?: string;
  sector?: string;
  /** 限产、停产整治、停业、关闭 … */
  measure?: string;
  since?: string;
  /** The rectification deadline of a yellow card. */
  due?: string;
}

export interface ReportRank {
  unit: string;
  score: number;
}

/** The sections whose data live elsewhere (the 红黄牌 registry, the 考核); absent, the report says 暂无. */
export interface ReportSources {
  cards?(plan: string, year: number): Promise<{ yellow: ReportCard[]; red: ReportCard[] }>;
  /** The 考核 as it stands on `asOf`; undefined when the year has nothing to assess. */
  ranking?(plan: string, year: number, asOf: string): Promise<ReportRank[] | undefined>;
}

/** What the report reads: the projection and ledgers, the plan's indicators, the 限批 table. */
export interface ReportData {
  listTasks(filter: { plan: string }): Promise<TaskSummary[]>;
  ledgerFor(workflowId: string): Promise<{ event: TaskEvent }[]>;
  listRestrictions(filter: Record<string, never>): Promise<RestrictionRecord[]>;
  listIndicators?(plan: string): Promise<IndicatorDef[]>;
  listIndicatorValues?(plan: string): Promise<RecordedValue[]>;
  /** The plan's title; default: the breakdown files in `plans/`. */
  planTitle?(plan: string): string | undefined;
}

export interface PublicReport {
  plan: string;
  title: string;
  year: number;
  /** The day the figures stand on: the year's last day, or today while the year runs. */
  asOf: string;
  /** The day it was made. */
  issued: string;
  progress: { total: ReportRow; departments: ReportRow[]; regions: ReportRow[] };
  indicators: ReportIndicator[];
  restrictions: ReportRestriction[];
  cards?: { yellow: ReportCard[]; red: ReportCard[] };
  ranking?: ReportRank[];
}

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/** The year a request names, or a BadInput naming `year`. */
export function reportYear(text: string): number {
  const y = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!(y >= MIN_YEAR && y <= MAX_YEAR))
    throw new BadInput(
      'year',
      `year：年度应为 ${MIN_YEAR}–${MAX_YEAR} 之间的四位数字，不是“${text}” / year: the year must be four digits between ${MIN_YEAR} and ${MAX_YEAR}, not “${text}”`,
    );
  return y;
}

const rowOf = (r: BulletinRow): ReportRow => ({
  unit: r.unit,
  planned: r.tasks,
  done: r.completed,
  onTime: r.onTime,
  overdue: r.overdue,
  rate: r.rate,
});

function causeOf(r: RestrictionRecord, plan: string, titles: Map<string, TaskSummary>): string {
  const id = r.taskWorkflowId;
  if (!id) return '督查室决定 / decided by the supervisors';
  const t = titles.get(id);
  if (t) return `任务 ${t.taskId}${t.region ? `/${t.region}` : ''} ${t.title} 整改逾期未完成`;
  if (id.startsWith(`indicators/${plan}`)) return '年度指标未达标 / a yearly indicator target missed';
  return '整改逾期未完成 / rectification overdue';
}

/** A restriction in force on `asOf`: imposed by then and not lifted by then. */
const inForce = (r: RestrictionRecord, asOf: string) =>
  dayOf(r.since) <= asOf && (!r.lifted || dayOf(r.lifted.at) > asOf);

/** Whether a restriction belongs to the plan: raised by one of its tasks or its indicators, or by hand. */
const ofPlan = (r: RestrictionRecord, plan: string) =>
  !r.taskWorkflowId ||
  r.taskWorkflowId.startsWith(`task/${plan}/`) ||
  r.taskWorkflowId.startsWith(`indicators/${plan}`);

/**
 * The plan's report for `year`, or undefined for a plan duban does not know (no task, no indicator, no
 * breakdown file). A year that has not begun, or has no task due, gives a report of zeros.
 */
export async function publicReport(
  data: ReportData,
  sources: ReportSources,
  r: { plan: string; year: string; today: string },
): Promise<PublicReport | undefined> {
  if (!isSlug(r.plan)) throw new BadInput('plan', slugMessage('方案编号', 'a plan id'));
  const year = reportYear(r.year);
  const to = `${year}-12-31`;
  const asOf = to < r.today ? to : r.today;
  const [tasks, defs, values] = await Promise.all([
    data.listTasks({ plan: r.plan }),
    data.listIndicators?.(r.plan) ?? Promise.resolve([]),
    data.listIndicatorValues?.(r.plan) ?? Promise.resolve([]),
  ]);
  const title = (data.planTitle ?? ((p: string) => loadPlans().get(p)?.title))(r.plan);
  if (tasks.length === 0 && defs.length === 0 && title === undefined) return undefined;

  // The tasks due in the year as they stood on asOf (an extension granted later does not move them out).
  const dueInYear = [];
  for (const t of tasks) {
    const events = (await data.ledgerFor(t.workflowId)).map((e) => e.event);
    const state = stateOf(events.filter((e) => dayOf(e.at) <= asOf));
    if (state && state.due.slice(0, 4) === String(year)) dueInYear.push({ workflowId: t.workflowId, events });
  }
  const b = bulletinOf({
    plan: r.plan,
    period: { key: String(year), label: `${year}年`, from: `${year}-01-01`, to },
    today: r.today,
    tasks: dueInYear,
  });

  const indicators = defs
    .filter((d) => d.targets.some((t) => t.year === year))
    .map((d): ReportIndicator => {
      const s = indicatorStatus(d, values);
      return {
        id: s.id,
        name: s.name,
        unit: s.unit,
        department: s.department,
        targets: s.targets
          .filter((t) => t.year === year)
          .map((t) => ({
            ...(t.region !== undefined ? { region: t.region } : {}),
            target: targetText(t.op, t.value, s.unit),
            actual: t.actual === null ? null : actualText(t.actual, s.unit),
            met: t.met,
          })),
      };
    });

  const byId = new Map(tasks.map((t) => [t.workflowId, t]));
  const restrictions = (await data.listRestrictions({}))
    .filter((x) => ofPlan(x, r.plan) && inForce(x, asOf))
    .map((x) => ({
      region: x.region,
      sector: x.sector,
      since: dayOf(x.since),
      cause: causeOf(x, r.plan, byId),
    }));

  const [cards, ranking] = await Promise.all([
    sources.cards?.(r.plan, year),
    sources.ranking?.(r.plan, year, asOf),
  ]);
  return {
    plan: r.plan,
    title: title ?? r.plan,
    year,
    asOf,
    issued: r.today,
    progress: { total: rowOf(b.total), departments: b.departments.map(rowOf), regions: b.regions.map(rowOf) },
    indicators,
    restrictions,
    ...(cards ? { cards: { yellow: cards.yellow.map(publicCard), red: cards.red.map(publicCard) } } : {}),
    ...(ranking
      ? { ranking: ranking.map((x) => ({ unit: x.unit, score: x.score })).sort((a, b) => b.score - a.score) }
      : {}),
  };
}

/** Only the published fields of a card, whatever the source returns beside them. */
function publicCard(c: ReportCard): ReportCard {
  const out: ReportCard = { enterprise: c.enterprise };
  for (const k of ['code', 'region', 'sector', 'measure', 'since', 'due'] as const)
    if (c[k] !== undefined) out[k] = c[k];
  return out;
}

/** `年度公开报告-taierzhuang-2016-water-2027.pdf`. */
export const reportFileName = (r: Pick<PublicReport, 'plan' | 'year'>, ext: string): string =>
  `年度公开报告-${r.plan}-${r.year}.${ext}`;

export interface ReportDeps {
  data: ReportData;
  sources: ReportSources;
  today: () => string;
  /** How long a report is kept (default 5 s): the public may ask as often as it likes. */
  cacheMs?: number;
}

/** The report as the public asks for it: made once per TTL and plan and year however many ask. */
export function reportCache(deps: ReportDeps) {
  const cache = new TtlCache<PublicReport | undefined>(deps.cacheMs);
  return {
    ttlMs: cache.ttlMs,
    get: (plan: string, year: string) =>
      cache.get(`${plan}\n${year}`, () =>
        publicReport(deps.data, deps.sources, { plan, year, today: deps.today() }),
      ),
  };
}
