import type { TaskEvent } from './task-events';
import { submittingDepartment } from './task-spec';
import { departmentsOf, type TaskState } from './task-state';

/** Who hears about something: a department (its contact), its head, or everyone in a role of the directory. */
export type Audience =
  | { department: string }
  /** The official responsible for a department or region (its head): 约谈 and 追责 name a person. */
  | { head: string }
  | { role: 'supervisors' }
  | { role: 'leadership' };

/** A mail the workflow asks for. `key` is stable per task, so a retry can never send it twice. */
export interface Notice {
  key: string;
  event: TaskEvent;
  to: Audience[];
  /** Which of an event's mails this is, when it causes more than one (a reassignment: released, assigned). */
  variant?: 'released' | 'assigned';
}

const depts = (names: string[]): Audience[] => names.map((department) => ({ department }));
const supervisors: Audience = { role: 'supervisors' };
const leadership: Audience = { role: 'leadership' };

/** The officials an interview is with: the lead department's head, and the region's head for a region's task. */
export function officialsOf(state: TaskState): Audience[] {
  const heads: Audience[] = [{ head: submittingDepartment(state.spec) }];
  if (state.spec.region) heads.push({ head: state.spec.region });
  // A rectification's 约谈 is of every unit the miss names: the 镇街 and the department that measures it.
  if (state.spec.interviewAtStart) heads.push(...state.spec.cooperating.map((head) => ({ head })));
  return heads;
}

/** The mails an event causes (the design's "who hears" column). Interview mails are the interview's own. */
export function noticesFor(event: TaskEvent, state: TaskState): Notice[] {
  if (event.type === 'TaskReassigned') return reassignmentNotices(event);
  const everyone = depts(departmentsOf(state.spec));
  const lead = depts([submittingDepartment(state.spec)]);
  const to: Audience[] | undefined = (() => {
    switch (event.type) {
      case 'TaskAssigned':
      case 'CompletionVerified':
      case 'TaskCancelled':
      case 'WarningIssued':
      case 'ExtensionGranted':
      case 'MilestoneWarningIssued':
      case 'TaskPaused':
      case 'TaskResumed':
      case 'TaskEdited':
      case 'MilestoneAdded':
      case 'TaskSplit':
        return everyone;
      case 'MilestoneOverdueNoticed':
        return [...everyone, supervisors];
      case 'MilestoneReported':
        return [supervisors];
      case 'MilestoneVerified':
      case 'MilestoneRejected':
        return lead;
      case 'CompletionCosigned':
        // The leads yet to sign hear that the others have.
        return depts(event.waiting);
      case 'CompletionSubmitted':
      case 'ExtensionRequested':
        return [supervisors];
      case 'CompletionRejected':
      case 'ExtensionDenied':
      case 'InterviewRecorded':
        return lead;
      case 'OverdueNoticed':
        return [...everyone, supervisors];
      case 'InstructionGiven':
        return [...everyone, supervisors];
      case 'InternalApprovalRequested':
      case 'InternalApprovalReturned':
        // The department's own step: its contact hears, the supervisors not yet.
        return depts([event.by]);
      case 'AckReminderSent':
        return depts([event.department]);
      case 'AckAlertRaised':
        // The lead hears when a cooperating department has not acknowledged.
        return event.department === submittingDepartment(state.spec) ? [supervisors] : [supervisors, ...lead];
      case 'RestrictionImposed':
      case 'RestrictionLifted':
        return [leadership, supervisors, ...lead];
      case 'AccountabilityRecorded':
        return [leadership, supervisors];
      // The submission that follows an approval is mailed to the supervisors.
      case 'InternalApprovalGranted':
      case 'Acknowledged':
      case 'ProgressReported':
      case 'InterviewOrdered':
      case 'InterviewScheduled':
        return undefined;
    }
  })();
  return to ? [{ key: `${event.seq}-${event.type}`, event, to }] : [];
}

/** The interview's own mails: the officials responsible and leadership hear when it is ordered and set. */
export function interviewNotices(event: TaskEvent, state: TaskState): Notice[] {
  if (event.type !== 'InterviewOrdered' && event.type !== 'InterviewScheduled') return [];
  return [{ key: `${event.seq}-${event.type}`, event, to: [...officialsOf(state), leadership, supervisors] }];
}

/** 改派: the departments released are told so; those that must acknowledge get the assignment mail. */
function reassignmentNotices(e: Extract<TaskEvent, { type: 'TaskReassigned' }>): Notice[] {
  const key = `${e.seq}-${e.type}`;
  return [
    ...(e.released.length
      ? [{ key: `${key}-released`, event: e, to: depts(e.released), variant: 'released' as const }]
      : []),
    ...(e.reacknowledge.length
      ? [{ key: `${key}-assigned`, event: e, to: depts(e.reacknowledge), variant: 'assigned' as const }]
      : []),
  ];
}
