import { SUPERVISOR, type TaskSpec, taskWorkflowId, type TaskSpecInput, taskSpecSchema } from '../domain';
import { CommandRefused } from './errors';
import type { DubanClient, StartResult } from './facade';

// A corrected breakdown started again starts nothing twice; what it changes in tasks already running is
// told, field by field, and what a running task can take (its due date) is applied on request.

export const SPEC_FIELDS = ['title', 'lead', 'cooperating', 'due', 'region', 'sector'] as const;
export type SpecField = (typeof SPEC_FIELDS)[number];

export const FIELD_ZH: Record<SpecField, string> = {
  title: '标题',
  lead: '牵头单位',
  cooperating: '配合单位',
  due: '截止日期',
  region: '镇街',
  sector: '限批行业',
};

export interface SpecChange {
  workflowId: string;
  field: SpecField;
  running: string;
  breakdown: string;
}

type Running = Record<SpecField, string>;
const fieldsOf = (s: {
  title: string;
  lead: string[];
  cooperating: string[];
  due: string;
  region?: string;
  sector?: string;
}): Running => ({
  title: s.title,
  lead: s.lead.join('、'),
  cooperating: s.cooperating.join('、'),
  due: s.due,
  region: s.region ?? '',
  sector: s.sector ?? '',
});

/**
 * What the breakdown says differently from each task already running: read from the workflow's state (the
 * due date in force, the spec it runs), or from the projection when the workflow does not answer.
 */
export async function runningDifferences(
  facade: Pick<DubanClient, 'state' | 'summary'>,
  specs: readonly TaskSpecInput[],
  results: readonly StartResult[],
): Promise<SpecChange[]> {
  const byId = new Map(results.map((r) => [r.workflowId, r]));
  const running = specs.flatMap((input) => {
    const parsed = taskSpecSchema().safeParse(input);
    if (!parsed.success) return [];
    const workflowId = taskWorkflowId(parsed.data);
    return byId.get(workflowId)?.started === false ? [{ spec: parsed.data, workflowId }] : [];
  });
  const found = new Array<SpecChange[]>(running.length);
  let next = 0;
  // A few at a time, each briefly: a breakdown of a hundred tasks must not wait minutes on a slow worker.
  const runner = async () => {
    while (next < running.length) {
      const i = next++;
      found[i] = await differencesOf(facade, running[i].spec, running[i].workflowId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DIFF_CONCURRENCY, running.length) }, runner));
  return found.flat();
}

const DIFF_CONCURRENCY = 8;
const STATE_TIMEOUT_MS = 3_000;

async function differencesOf(
  facade: Pick<DubanClient, 'state' | 'summary'>,
  spec: TaskSpec,
  workflowId: string,
): Promise<SpecChange[]> {
  let running: Running | undefined;
  try {
    const s = await facade.state(workflowId, { timeoutMs: STATE_TIMEOUT_MS });
    running = fieldsOf({ ...s.spec, due: s.due, sector: s.spec.restriction?.sector });
  } catch {
    const s = await facade.summary(workflowId);
    // The projection keeps no 限批 sector: that field is not compared then.
    if (s) running = { ...fieldsOf(s), sector: spec.restriction?.sector ?? '' };
  }
  if (!running) return [];
  const wanted = fieldsOf({ ...spec, sector: spec.restriction?.sector });
  return SPEC_FIELDS.filter((field) => running[field] !== wanted[field]).map((field) => ({
    workflowId,
    field,
    running: running[field],
    breakdown: wanted[field],
  }));
}

export interface AppliedChange extends SpecChange {
  applied: boolean;
  /** Why not: the task refused it, or the field needs a reassignment (not supported yet). */
  note: string;
}

export const REVISION = '方案修订';

/**
 * Applies what a running task can take: a new due date, as a supervisor's decision with `to` and the
 * reason 方案修订. Lead, cooperating departments, title, region and sector need a reassignment, which duban
 * does not do yet: they are reported, not changed.
 */
export async function applyChanges(
  facade: Pick<DubanClient, 'command'>,
  changes: readonly SpecChange[],
): Promise<AppliedChange[]> {
  const out: AppliedChange[] = [];
  for (const c of changes) {
    if (c.field !== 'due') {
      out.push({
        ...c,
        applied: false,
        note: '需改派，尚未支持，运行中的任务保持原样 / needs a reassignment (not supported yet): the running task keeps it',
      });
      continue;
    }
    try {
      await facade.command(c.workflowId, 'decideExtension', {
        actor: SUPERVISOR,
        approve: true,
        to: c.breakdown,
        note: REVISION,
      });
      out.push({ ...c, applied: true, note: `已改为 ${c.breakdown}（${REVISION}） / due date moved` });
    } catch (err) {
      if (!(err instanceof CommandRefused)) throw err;
      out.push({ ...c, applied: false, note: `任务拒绝 / refused: ${err.message}` });
    }
  }
  return out;
}
