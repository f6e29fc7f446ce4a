import type { TaskEvent } from './task-events';
import { departmentsOf, type TaskState } from './task-state';
import { submittingDepartment } from './task-spec';

/** Who hears about something: a department (its contact), or everyone in a role of the directory. */
export type Audience = { department: string } | { role: 'supervisors' } | { role: 'leadership' };

/** A mail the workflow asks for. `key` is stable per task, so a retry can never send it twice. */
export interface Notice {
  key: string;
  event: TaskEvent;
  to: Audience[];
}

const depts = (names: string[]): Audience[] => names.map((department) => ({ department }));
const supervisors: Audience = { role: 'supervisors' };

/** The mails an event causes (the design's "who hears" column). */
export function noticesFor(event: TaskEvent, state: TaskState): Notice[] {
  const everyone = depts(departmentsOf(state.spec));
  const lead = depts([submittingDepartment(state.spec)]);
  const to: Audience[] | undefined = (() => {
    switch (event.type) {
      case 'TaskAssigned':
      case 'CompletionVerified':
      case 'TaskCancelled':
      case 'WarningIssued':
        return everyone;
      case 'CompletionSubmitted':
        return [supervisors];
      case 'CompletionRejected':
        return lead;
      case 'OverdueNoticed':
        return [...everyone, supervisors];
      case 'Acknowledged':
      case 'ProgressReported':
        return undefined;
    }
  })();
  return to ? [{ key: `${event.seq}-${event.type}`, event, to }] : [];
}
