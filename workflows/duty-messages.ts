import { defineQuery } from '@temporalio/workflow';
import type { DutyOccurrence, DutySpec, DutyStatus } from '../domain/duty';

/** The duty workflow's registered name. */
export const DUTY_WORKFLOW = 'dutyWorkflow';

export interface DutyWorkflowInput {
  spec: DutySpec;
  /** The next period to open (its label); absent on the first run, which starts from `spec.from`. */
  next?: string;
  /** The occurrence the last run opened, carried so the query answers across runs. */
  current?: DutyOccurrence;
  /** How many runs came before this one (each period is one run). */
  run?: number;
  /** The command key occurrences are started with (see TaskWorkflowInput.commandKey). */
  commandKey?: string;
  /** Whether the namespace has duban's search attributes: occurrences then carry them, as tasks do. */
  searchAttributes?: boolean;
}

/** What a duty says about itself, live. */
export interface DutyView {
  spec: DutySpec;
  status: DutyStatus;
  current: DutyOccurrence | null;
  next: { period: string; opensOn: string } | null;
  run: number;
}

/** A finished series: the last occurrence it opened, and how many runs it took (one per period). */
export interface DutyResult {
  last: DutyOccurrence | null;
  runs: number;
}

export const dutyQuery = defineQuery<DutyView>('duty');
