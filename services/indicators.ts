import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  CLASS_UNIT,
  checkValue,
  indicatorStatus,
  indicatorYearWorkflowId,
  type IndicatorDef,
  type IndicatorStatus,
  type IndicatorTargetDef,
  type RecordedValue,
  type ValueInput,
} from '../domain/indicators';
import type { Breakdown } from '../importer';
import type { Store } from '../store';
import { INDICATOR_YEAR_WORKFLOW, type IndicatorYearInput } from '../workflows/indicator-messages';
import { BadInput } from './errors';

// The plan's indicators for every interface: what a started breakdown tracks, recording a value (one, or a
// monitoring file), and each year's target judged against its latest value.

const JUDGEABLE = new Set(['>=', '>', '<=', '<']);

/** The targets a value can be judged against: a class to reach, or a number with ≥ ≤ > <. */
function targetsOf(ind: Breakdown['indicators'][number]): IndicatorTargetDef[] {
  return ind.targets.flatMap((t): IndicatorTargetDef[] => {
    if (t.class) return [{ year: t.year, op: 'class', value: t.class, text: t.text }];
    if (t.op && JUDGEABLE.has(t.op) && t.value !== null)
      return [{ year: t.year, op: t.op as IndicatorTargetDef['op'], value: t.value, text: t.text }];
    return [];
  });
}

/**
 * The indicators a breakdown tracks: those the supervisor gave an `id` and a measuring `department`, with
 * at least one target a value can be judged against (a goal in words, 稳中趋好, is not).
 */
export function indicatorDefs(b: Breakdown): IndicatorDef[] {
  return b.indicators.flatMap((ind): IndicatorDef[] => {
    const targets = targetsOf(ind);
    if (!ind.id || !ind.department || targets.length === 0) return [];
    const isClass = targets.some((t) => t.op === 'class');
    const unit = isClass ? CLASS_UNIT : (ind.targets.find((t) => t.unit)?.unit ?? '').replace(/％/g, '%');
    const regions = ind.regions ?? [];
    return [
      {
        plan: b.plan.id,
        id: ind.id,
        name: ind.name,
        unit,
        department: ind.department,
        regions,
        towns: regions.filter((r) => b.plan.regions.includes(r)),
        responsible: ind.responsible ?? [],
        restriction: ind.restriction ?? null,
        targets,
      },
    ];
  });
}

export interface IndicatorDeps {
  store: Pick<
    Store,
    'saveIndicators' | 'listIndicators' | 'recordIndicatorValues' | 'listIndicatorValues' | 'indicatorPlans'
  >;
}

/**
 * Saves the breakdown's indicators and starts the plan's year-close workflow once (a second start finds it
 * running, or finished, and starts nothing).
 */
export async function startIndicators(
  deps: IndicatorDeps & {
    client?: Pick<Client, 'workflow'>;
    taskQueue?: string;
    commandKey?: string;
    searchAttributes?: boolean;
  },
  b: Breakdown,
  at: string,
): Promise<{ indicators: number; changed: number; yearClose: 'started' | 'running' | 'none' }> {
  const defs = indicatorDefs(b);
  if (defs.length === 0) return { indicators: 0, changed: 0, yearClose: 'none' };
  const { changed } = await deps.store.saveIndicators(b.plan.id, defs, at);
  if (!deps.client || !deps.taskQueue) return { indicators: defs.length, changed, yearClose: 'none' };
  try {
    await deps.client.workflow.start(INDICATOR_YEAR_WORKFLOW, {
      workflowId: indicatorYearWorkflowId(b.plan.id),
      taskQueue: deps.taskQueue,
      args: [
        {
          plan: b.plan.id,
          ...(deps.searchAttributes ? { searchAttributes: true } : {}),
          ...(deps.commandKey ? { commandKey: deps.commandKey } : {}),
        } satisfies IndicatorYearInput,
      ],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return { indicators: defs.length, changed, yearClose: 'started' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError)
      return { indicators: defs.length, changed, yearClose: 'running' };
    throw err;
  }
}

async function defsOf(deps: IndicatorDeps, plan: string): Promise<IndicatorDef[]> {
  const defs = await deps.store.listIndicators(plan);
  if (defs.length === 0)
    throw new BadInput(
      'plan',
      `plan：方案 ${plan} 没有跟踪的指标（交办时任务分解表的指标需有 id 和 department） / plan: plan ${plan} tracks no indicators (give its breakdown's indicators an id and a department, then start it)`,
    );
  return defs;
}

/** Every indicator of the plan, each year's target judged against its latest value. */
export async function listIndicatorStatus(deps: IndicatorDeps, plan: string): Promise<IndicatorStatus[]> {
  const [defs, values] = await Promise.all([defsOf(deps, plan), deps.store.listIndicatorValues(plan)]);
  return defs.map((d) => indicatorStatus(d, values));
}

export interface Recorded {
  indicator: string;
  year: number;
  region: string | null;
  value: RecordedValue['value'];
  unit: string;
  workflowId: string;
  seq: number;
}

/** Records one value, or refuses it naming the field; the value is on the indicator's ledger chain. */
export async function recordIndicatorValue(
  deps: IndicatorDeps,
  plan: string,
  input: ValueInput,
  source: RecordedValue['source'],
  at: string,
): Promise<Recorded> {
  const defs = await defsOf(deps, plan);
  const c = checkValue(plan, defs, input);
  if (!c.ok) throw new BadInput(c.refusal.field, c.refusal.message);
  const { def, year, region, value } = c.value;
  const [r] = await deps.store.recordIndicatorValues([
    { plan, indicator: def.id, year, region, value, unit: def.unit, by: input.as, at, source },
  ]);
  return { indicator: def.id, year, region, value, unit: def.unit, ...r };
}

/** A monitoring file with bad lines: each named by its line number; nothing of the file was recorded. */
export class CsvRejected extends BadInput {
  constructor(readonly lines: { line: number; message: string }[]) {
    super(
      'file',
      `文件有 ${lines.length} 行有误，未录入任何数据 / ${lines.length} bad line(s): nothing from the file was recorded\n` +
        lines.map((l) => `第 ${l.line} 行 / line ${l.line}: ${l.message}`).join('\n'),
    );
  }
}

const COLUMNS: Record<string, 'indicator' | 'year' | 'value' | 'region'> = {
  indicator: 'indicator',
  指标: 'indicator',
  year: 'year',
  年度: 'year',
  年份: 'year',
  value: 'value',
  数值: 'value',
  监测值: 'value',
  region: 'region',
  区域: 'region',
  断面: 'region',
};

/** One CSV line's fields (RFC 4180 quotes: `"a,b"`, `""` for a quote); the enterprise import reads them too. */
export { fields as csvFields };
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/**
 * A monitoring data file (CSV, a header line `indicator,year,value[,region]` or 指标,年度,数值,区域), recorded
 * by `as`: every line is checked first; one bad line and nothing is recorded, every bad line named.
 */
export async function importIndicatorCsv(
  deps: IndicatorDeps,
  plan: string,
  text: string,
  as: string,
  at: string,
): Promise<{ recorded: number }> {
  const defs = await defsOf(deps, plan);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new CsvRejected([{ line: 1, message: '文件为空 / the file is empty' }]);
  const header = fields(lines[headerAt]).map((h) => COLUMNS[h.toLowerCase()] ?? COLUMNS[h]);
  const missing = (['indicator', 'year', 'value'] as const).filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new CsvRejected([
      {
        line: headerAt + 1,
        message: `表头缺少 ${missing.join('、')} 列（应为 indicator,year,value[,region]） / the header lacks ${missing.join(', ')} (expected indicator,year,value[,region])`,
      },
    ]);
  const bad: { line: number; message: string }[] = [];
  const good: Parameters<IndicatorDeps['store']['recordIndicatorValues']>[0][number][] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = fields(lines[i]);
    const get = (c: string) => f[header.indexOf(c as never)] ?? '';
    const yearText = get('year');
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (Number.isNaN(year)) {
      bad.push({
        line: i + 1,
        message: `year：“${yearText}”不是年份 / year: “${yearText}” is not a year`,
      });
      continue;
    }
    const c = checkValue(plan, defs, {
      indicator: get('indicator'),
      year,
      region: header.includes('region') ? get('region') : undefined,
      value: get('value'),
      as,
    });
    if (!c.ok) {
      bad.push({ line: i + 1, message: c.refusal.message });
      continue;
    }
    const { def, region, value } = c.value;
    good.push({ plan, indicator: def.id, year, region, value, unit: def.unit, by: as, at, source: 'csv' });
  }
  if (bad.length > 0) throw new CsvRejected(bad);
  await deps.store.recordIndicatorValues(good);
  return { recorded: good.length };
}

/** What the CLI, the API and the pages call: one store, and Temporal to start a plan's year close. */
export interface IndicatorService {
  /** Saves a started breakdown's indicators and starts its year-close workflow. */
  start(b: Breakdown): ReturnType<typeof startIndicators>;
  list(plan: string): Promise<IndicatorStatus[]>;
  /** Plans that track indicators. */
  plans(): Promise<string[]>;
  record(plan: string, input: ValueInput, source: RecordedValue['source']): Promise<Recorded>;
  importCsv(plan: string, text: string, as: string): Promise<{ recorded: number }>;
}

export function createIndicatorService(
  deps: IndicatorDeps & {
    client?: Pick<Client, 'workflow'>;
    taskQueue?: string;
    /** The public key the rectification tasks a miss opens check their commands with. */
    commandKey?: string;
    /** The rectification tasks carry duban's search attributes: only on a server that registers them. */
    searchAttributes?: boolean;
    now?: () => string;
  },
): IndicatorService {
  const now = deps.now ?? (() => new Date().toISOString());
  return {
    start: (b) => startIndicators(deps, b, now()),
    list: (plan) => listIndicatorStatus(deps, plan),
    plans: () => deps.store.indicatorPlans(),
    record: (plan, input, source) => recordIndicatorValue(deps, plan, input, source, now()),
    importCsv: (plan, text, as) => importIndicatorCsv(deps, plan, text, as, now()),
  };
}
