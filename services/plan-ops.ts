import {
  BreakdownUnreadable,
  checkBreakdown,
  parseBreakdownText,
  reviewItems,
  toDuties,
  toTaskSpecs,
  type Breakdown,
  type CheckResult,
} from '../importer';
import type { Directory } from '../directory/directory';
import { directoryIssues } from './breakdown-directory';
import type { DubanClient, StartResult } from './facade';

// Checking and starting a reviewed breakdown, for callers that hold it in memory (the API); the CLI reads
// it from a file first. Same importer functions, so the same rules.

/** How many workflows a breakdown starts: a task fanned out to regions starts one per region. */
export const workflowCount = (b: Breakdown): number =>
  b.tasks.reduce((n, t) => n + Math.max(1, t.regions.length), 0);

/** One thing `plan check` leaves for a person: the document line, what is in question, and why. */
export interface ReviewEntry {
  line: number | null;
  text: string;
  why: string;
}

/** What a person still has to look at in a breakdown that passed its check (CLI and API alike). */
export const reviewList = (b: Breakdown): ReviewEntry[] =>
  reviewItems(b).map((r) => ({ line: r.line, text: r.text, why: r.message }));

/** A breakdown given as data or as YAML/JSON text, checked; with the directory, its names against it. */
export function checkBreakdownInput(
  input: { breakdown?: unknown; yaml?: string },
  directory?: Pick<Directory, 'departments'>,
): CheckResult {
  let data = input.breakdown;
  if (input.yaml !== undefined)
    try {
      data = parseBreakdownText(input.yaml);
    } catch (err) {
      if (err instanceof BreakdownUnreadable) return { issues: [{ path: '', message: err.message }] };
      throw err;
    }
  const r = checkBreakdown(data);
  if (!directory || !r.breakdown || r.issues.length > 0) return r;
  return { breakdown: r.breakdown, issues: directoryIssues(r.breakdown, directory) };
}

/** The recurring duties a plan start started, and those it left for review (定期 with no period). */
export interface DutyStart {
  started: number;
  alreadyRunning: number;
  /** Duties listed for review, not started: the plan names no period. */
  review: string[];
  results: StartResult[];
}

export interface PlanStart {
  plan: string;
  started: number;
  alreadyRunning: number;
  results: StartResult[];
  duties: DutyStart;
}

/** Starts a breakdown's recurring duties and lists those left for review; twice starts nothing twice. */
export async function startPlanDuties(
  facade: Pick<DubanClient, 'startDuties' | 'reviewDuties'>,
  b: Breakdown,
  today: string,
): Promise<DutyStart> {
  const { duties, review } = toDuties(b, today);
  const results = await facade.startDuties(duties);
  await facade.reviewDuties(review);
  const started = results.filter((r) => r.started).length;
  return {
    started,
    alreadyRunning: results.length - started,
    review: review.map((r) => (r.region ? `${r.id}/${r.region}` : r.id)),
    results,
  };
}

/** Starts every workflow of a checked breakdown, its duties too; starting twice starts nothing twice. */
export async function startBreakdown(
  facade: Pick<DubanClient, 'startTasks' | 'startDuties' | 'reviewDuties'>,
  b: Breakdown,
  today: string,
): Promise<PlanStart> {
  const results = await facade.startTasks(toTaskSpecs(b));
  const started = results.filter((r) => r.started).length;
  const duties = await startPlanDuties(facade, b, today);
  return { plan: b.plan.id, started, alreadyRunning: results.length - started, results, duties };
}
