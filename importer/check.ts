import type { z } from 'zod';
import { bilingual } from '../domain/messages';
import { taskSpecSchema } from '../domain/task-spec';
import {
  Breakdown,
  BreakdownTask,
  Deadline,
  Department,
  Indicator,
  IndicatorTarget,
  PlanWarning,
  Recurrence,
  Restriction,
  Target,
} from './breakdown';
import { departmentKey, isRegionCollective, isVague } from './departments';
import type { BreakdownIssue } from './errors';
import { aliasMap, toTaskSpecs } from './expand';
import { didYouMean } from './similar';

/** `['tasks', 12, 'lead', 0]` -> `tasks[12].lead[0]`. */
export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** The fields each object of the breakdown takes, by path without indices, for did-you-mean on keys. */
const FIELDS: Record<string, string[]> = {
  '': Object.keys(Breakdown.shape),
  plan: Object.keys(Breakdown.shape.plan.shape),
  departments: Object.keys(Department.shape),
  tasks: Object.keys(BreakdownTask.shape),
  'tasks.deadlines': Object.keys(Deadline.shape),
  'tasks.recurrence': Object.keys(Recurrence.shape),
  'tasks.targets': Object.keys(Target.shape),
  'tasks.restriction': Object.keys(Restriction.shape),
  'tasks.source': ['line', 'clauseLine'],
  indicators: Object.keys(Indicator.shape),
  'indicators.targets': Object.keys(IndicatorTarget.shape),
  warnings: Object.keys(PlanWarning.shape),
};

function schemaIssues(error: z.ZodError): BreakdownIssue[] {
  const out: BreakdownIssue[] = [];
  for (const iss of error.issues) {
    if (iss.code !== 'unrecognized_keys') {
      out.push({ path: formatPath(iss.path), message: iss.message });
      continue;
    }
    const fields = FIELDS[iss.path.filter((p) => typeof p === 'string').join('.')] ?? [];
    for (const key of iss.keys) {
      const guess = didYouMean(key, fields);
      out.push({
        path: formatPath([...iss.path, key]),
        message: guess
          ? `未知字段，是否应为 ${guess}？ / unknown field — did you mean ${guess}?`
          : `未知字段 / unknown field (fields here: ${fields.join(', ')})`,
      });
    }
  }
  return out;
}

/** Names and regions a breakdown's tasks may use, and what is wrong with one that is not among them. */
function namingIssues(b: Breakdown): BreakdownIssue[] {
  const out: BreakdownIssue[] = [];
  const names = aliasMap(b);
  const regions = new Set(b.plan.regions);
  const seenDept = new Map<string, string>();
  b.departments.forEach((d, i) =>
    [d.name, ...d.aliases].forEach((n, j) => {
      const here = j === 0 ? `departments[${i}].name` : `departments[${i}].aliases[${j - 1}]`;
      const first = seenDept.get(n);
      if (first)
        out.push({ path: here, message: `单位重复，与 ${first} 相同 / ${n} is listed twice, as ${first}` });
      else seenDept.set(n, here);
    }),
  );
  const seenId = new Map<string, number>();
  b.tasks.forEach((t, i) => {
    const first = seenId.get(t.id);
    if (first !== undefined)
      out.push({
        path: `tasks[${i}].id`,
        message: `任务编号重复，与 tasks[${first}] 相同 / duplicate task id ${t.id}, same as tasks[${first}]`,
      });
    else seenId.set(t.id, i);

    for (const role of ['lead', 'cooperating'] as const) {
      t[role].forEach((n, j) => {
        if (names.has(n) || regions.has(n)) return;
        const path = `tasks[${i}].${role}[${j}]`;
        if (isRegionCollective(n)) {
          if (t.regions.length === 0)
            out.push({
              path,
              message: `“${n}”要分解到镇街，请填写本任务的 regions / ${n} needs the task's regions`,
            });
          return;
        }
        if (isVague(n)) {
          out.push({ path, message: `“${n}”不是具体单位，请写明 / ${n} is not one department: name it` });
          return;
        }
        const guess = didYouMean(n, [...names.keys(), ...regions], departmentKey);
        out.push({
          path,
          message: guess
            ? `未知单位 ${n}，是否应为 ${names.get(guess) ?? guess}？ / unknown department ${n} — did you mean ${names.get(guess) ?? guess}?`
            : `未知单位 ${n}：不在 departments 中 / unknown department ${n}: add it to departments`,
        });
      });
    }
    const regionIssue = (path: string, r: string) => {
      if (regions.has(r)) return;
      const guess = didYouMean(r, regions);
      out.push({
        path,
        message: guess
          ? `未知镇街 ${r}，是否应为 ${guess}？ / unknown region ${r} — did you mean ${guess}?`
          : `镇街 ${r} 不在 plan.regions 中 / region ${r} is not in plan.regions`,
      });
    };
    t.regions.forEach((r, k) => regionIssue(`tasks[${i}].regions[${k}]`, r));
    if (t.restriction?.region && regions.size > 0)
      regionIssue(`tasks[${i}].restriction.region`, t.restriction.region);
  });
  return out;
}

/** What TaskSpec (the workflows' input) refuses, named by the breakdown's own paths. */
function specIssues(b: Breakdown): BreakdownIssue[] {
  const owner = b.tasks.flatMap((t, i) => Array.from({ length: Math.max(1, t.regions.length) }, () => i));
  const out: BreakdownIssue[] = [];
  toTaskSpecs(b).forEach((spec, s) => {
    const r = taskSpecSchema().safeParse(spec, { error: bilingual });
    if (r.success) return;
    const i = owner[s];
    for (const iss of r.error.issues) {
      const [field] = iss.path;
      // A policy error is the plan's unless the task has a policy of its own; names after fan-out are
      // not the ones in the file, so those point at the list.
      const where: PropertyKey[] =
        field === 'plan'
          ? ['plan', 'id']
          : field === 'policy'
            ? [...(b.tasks[i].policy ? ['tasks', i] : ['plan']), ...iss.path]
            : field === 'lead' || field === 'cooperating'
              ? ['tasks', i, field]
              : field === 'region'
                ? ['tasks', i, 'regions']
                : ['tasks', i, ...iss.path];
      out.push({ path: formatPath(where), message: iss.message });
    }
  });
  const seen = new Set<string>();
  return out.filter((x) => !seen.has(`${x.path} ${x.message}`) && !!seen.add(`${x.path} ${x.message}`));
}

/** Something a person must look at before the plan is started: it is not an error, but it is not settled. */
export interface ReviewItem {
  path: string;
  /** The document line it comes from, when known. */
  line: number | null;
  /** What is under review: the unit as written, or the note itself. */
  text: string;
  message: string;
}

const NOTE = '导入提示，核对后可删除 / importer note: check it, then delete it';

export interface CheckResult {
  breakdown?: Breakdown;
  issues: BreakdownIssue[];
}

/**
 * What `plan check` lists for review: every importer note left in the file (each with its line), and each
 * unit that is no one body — a collective of regions on a task that does not fan out, or a vague one.
 */
export function reviewItems(b: Breakdown): ReviewItem[] {
  const out: ReviewItem[] = b.warnings.map((w, i) => ({
    path: `warnings[${i}]`,
    line: w.line,
    text: w.message,
    message: NOTE,
  }));
  b.tasks.forEach((t, i) => {
    for (const field of ['lead', 'cooperating'] as const)
      t[field].forEach((n, k) => {
        const path = `tasks[${i}].${field}[${k}]`;
        const line = t.source?.clauseLine ?? null;
        if (isRegionCollective(n) && t.regions.length === 0)
          out.push({
            path,
            line,
            text: n,
            message: `“${n}”是下级统称，未分解到具体地区：请给出地区名单或写明单位 / “${n}” stands for the regions below and is not fanned out: give the regions or name the units`,
          });
        else if (isVague(n))
          out.push({
            path,
            line,
            text: n,
            message: `“${n}”不是具体单位，请写明 / “${n}” is not one body: name it`,
          });
      });
  });
  return out;
}

/** Validates an edited breakdown: its shape (zod), then names, regions and ids, then the workflows' input. */
export function checkBreakdown(data: unknown): CheckResult {
  const parsed = Breakdown.safeParse(data, { error: bilingual });
  if (!parsed.success) return { issues: schemaIssues(parsed.error) };
  const naming = namingIssues(parsed.data);
  if (naming.length > 0) return { breakdown: parsed.data, issues: naming };
  return { breakdown: parsed.data, issues: specIssues(parsed.data) };
}
