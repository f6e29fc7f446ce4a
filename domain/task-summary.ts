import type { TaskStatus } from './task-events';
import type { TaskState } from './task-state';

/** One task as lists show it (the projection row, in domain terms). */
export interface TaskSummary {
  workflowId: string;
  plan: string;
  taskId: string;
  region?: string;
  title: string;
  lead: string[];
  cooperating: string[];
  status: TaskStatus;
  due: string;
  /** The date of the earliest milestone not yet reported done, when the task has milestones. */
  milestoneDue?: string;
  escalation: TaskState['escalation'];
  /** `high` once a leadership instruction (批示) raised it. */
  priority?: 'high';
  acknowledged: string[];
  assignedAt: string;
  updatedAt: string;
  /** Sequence number of the last event reflected. A projection never moves backwards. */
  seq: number;
}

function milestoneDueOf(s: TaskState): { milestoneDue?: string } {
  const open = s.milestones?.find((m) => m.status === 'open');
  return open ? { milestoneDue: open.due } : {};
}

export function summarize(workflowId: string, s: TaskState): TaskSummary {
  return {
    workflowId,
    plan: s.spec.plan,
    taskId: s.spec.id,
    ...(s.spec.region ? { region: s.spec.region } : {}),
    title: s.spec.title,
    lead: s.spec.lead,
    cooperating: s.spec.cooperating,
    status: s.status,
    due: s.due,
    ...milestoneDueOf(s),
    escalation: s.escalation,
    ...(s.priority ? { priority: s.priority } : {}),
    acknowledged: Object.keys(s.acknowledged),
    assignedAt: s.assignedAt,
    updatedAt: s.updatedAt,
    seq: s.seq,
  };
}
