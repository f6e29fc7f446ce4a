import { parentPort } from 'node:worker_threads';
import {
  BreakdownTooComplex,
  PlanUnreadable,
  breakdownToYaml,
  importPlan,
  parseBreakdownText,
  type ImportOptions,
} from '../importer';
import { checkBreakdownInput, workflowCount } from '../services/plan-ops';

// The importer's thread: a plan document of megabytes takes seconds to break down, and the HTTP server's
// own thread must keep answering /health and commands meanwhile. Pure functions only; nothing here
// touches the store or Temporal.

export type PlanJob =
  | { kind: 'import'; text: string; opts: ImportOptions }
  | {
      kind: 'check';
      input: { breakdown?: unknown; yaml?: string };
      /** The directory's departments, when the breakdown's names are checked against them. */
      directory?: Parameters<typeof checkBreakdownInput>[1];
    };

export type PlanReply = { ok: true; value: unknown } | { ok: false; unreadable?: string; error?: string };

function run(job: PlanJob): unknown {
  if (job.kind === 'check') {
    // A text over the reader's limits is refused outright (400), not listed as an issue to fix.
    const { directory } = job;
    if (job.input.yaml === undefined) return checkBreakdownInput(job.input, directory);
    let data: unknown;
    try {
      data = parseBreakdownText(job.input.yaml);
    } catch (err) {
      if (err instanceof BreakdownTooComplex) throw new PlanUnreadable(err.message);
      // A syntax error is the review's to fix, as checkBreakdownInput reports it.
      return checkBreakdownInput(job.input, directory);
    }
    return checkBreakdownInput({ breakdown: data }, directory);
  }
  const b = importPlan(job.text, job.opts);
  return { breakdown: b, yaml: breakdownToYaml(b), tasks: b.tasks.length, workflows: workflowCount(b) };
}

parentPort?.on('message', (job: PlanJob) => {
  let reply: PlanReply;
  try {
    reply = { ok: true, value: run(job) };
  } catch (err) {
    reply =
      err instanceof PlanUnreadable
        ? { ok: false, unreadable: err.message }
        : { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(reply);
});
