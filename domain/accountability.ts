import type { NamedPerson } from './task-events';
import { signingLeads, type TaskSpec } from './task-spec';

/**
 * Whose heads a 追责 names: every lead department that signs the completion — the first lead, or with
 * `completion: all-leads` each lead — and, for a region's task, the region (镇街).
 */
export function accountableBodies(spec: Pick<TaskSpec, 'lead' | 'region' | 'policy'>): string[] {
  const bodies = [...signingLeads(spec), ...(spec.region ? [spec.region] : [])];
  return [...new Set(bodies)];
}

/**
 * A 追责 record. It names the person and the post they held when it was made; it stays theirs after
 * they move on (终身追责), so it is looked up by the person's name, never by the post.
 */
export interface AccountabilityRecord {
  person: NamedPerson;
  taskWorkflowId: string;
  plan: string;
  taskId: string;
  taskTitle: string;
  /** The ladder's rung that made it, e.g. `accountability`. */
  rung: string;
  reason: string;
  /** Where the case was referred, e.g. 区监察局. */
  referral: string;
  at: string;
}

export interface AccountabilityFilter {
  /** The person's name, whatever post they hold now. */
  person?: string;
  /** The department the person served in when the record was made. */
  department?: string;
  taskWorkflowId?: string;
}
