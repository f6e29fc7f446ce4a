import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CommandKey } from '../config/command-key';
import { sealCommand, type TaskEvent, type TaskState } from '../domain';
import { interviewClosedSignal, interviewEventSignal } from '../workflows/task-messages';

export interface InterviewSignalDeps {
  client: Pick<Client, 'workflow'>;
  commandKey?: CommandKey;
}

export type InterviewSignal =
  | { interviewId: string; kind: 'event'; payload: { event: TaskEvent; state: TaskState } }
  | { interviewId: string; kind: 'closed'; payload: { reason: string } };

/**
 * A task's word to its interview (约谈), sealed here because workflow code holds no private key: the
 * interview mails officials and leadership, so a forged "scheduled" would be an official summons.
 */
export function createInterviewSignalActivities({ client, commandKey }: InterviewSignalDeps) {
  return {
    async interviewSignal(s: InterviewSignal): Promise<{ delivered: boolean }> {
      const def = s.kind === 'event' ? interviewEventSignal : interviewClosedSignal;
      const seal =
        commandKey &&
        sealCommand(
          commandKey.sign,
          { workflowId: s.interviewId, name: def.name, payload: s.payload },
          new Date().toISOString(),
        );
      try {
        const handle = client.workflow.getHandle(s.interviewId);
        if (s.kind === 'event') await handle.signal(interviewEventSignal, s.payload, seal);
        else await handle.signal(interviewClosedSignal, s.payload, seal);
        return { delivered: true };
      } catch (err) {
        // The interview has ended (recorded, or closed before): nothing left to tell it.
        if (err instanceof WorkflowNotFoundError) return { delivered: false };
        throw err;
      }
    },
  };
}
