/** A document the importer cannot turn into a plan at all; the message says why and what to do. */
export class PlanUnreadable extends Error {
  override name = 'PlanUnreadable';
}

/** One thing wrong with an edited breakdown: where (`tasks[12].lead[0]`) and why (`中文 / English`). */
export interface BreakdownIssue {
  path: string;
  message: string;
}

/** A breakdown file that is not YAML or JSON at all (before any field can be checked). */
export class BreakdownUnreadable extends Error {
  override name = 'BreakdownUnreadable';
}

/**
 * A breakdown text over the reader's limits (an alias bomb: a few lines expanding to billions of nodes).
 * Unreadable like a syntax error, but a refusal of the input rather than something to correct in review.
 */
export class BreakdownTooComplex extends BreakdownUnreadable {
  override name = 'BreakdownTooComplex';
}
