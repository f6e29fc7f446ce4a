import {
  BreakdownUnreadable,
  checkBreakdown,
  parseBreakdownText,
  reviewItems,
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

export interface PlanStart {
  plan: string;
  started: number;
  alreadyRunning: number;
  results: StartResult[];
}

/** Starts every workflow of a checked breakdown; starting twice starts nothing twice. */
export async function startBreakdown(
  facade: Pick<DubanClient, 'startTasks'>,
  b: Breakdown,
): Promise<PlanStart> {
  const results = await facade.startTasks(toTaskSpecs(b));
  const started = results.filter((r) => r.started).length;
  return { plan: b.plan.id, started, alreadyRunning: results.length - started, results };
}
