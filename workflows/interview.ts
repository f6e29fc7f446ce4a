import { condition, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { interviewNotices, type Notice, type TaskState } from '../domain';
import { MAIL } from './shell';
import { interviewClosedSignal, interviewEventSignal, type InterviewWorkflowInput } from './task-messages';

const { sendNotice } = proxyActivities<ReturnType<typeof createActivities>>(MAIL);

/**
 * One interview (约谈) of a task: it tells the officials responsible and leadership that it was ordered
 * and, once set, when and where; it ends when the task records it, or when the task closes first.
 */
export async function interviewWorkflow(input: InterviewWorkflowInput): Promise<{ outcome: string }> {
  const { workflowId } = workflowInfo();
  let state: TaskState = input.state;
  const queued: Notice[] = interviewNotices(input.ordered, state);
  let outcome: string | undefined;

  setHandler(interviewEventSignal, ({ event, state: s }) => {
    state = s;
    queued.push(...interviewNotices(event, s));
    if (event.type === 'InterviewRecorded') outcome = 'recorded';
  });
  setHandler(interviewClosedSignal, ({ reason }) => {
    outcome = reason;
  });

  while (outcome === undefined || queued.length > 0) {
    await condition(() => queued.length > 0 || outcome !== undefined);
    const notice = queued.shift();
    if (notice) {
      const sent = await sendNotice({ workflowId, notice, state });
      log.info('interview notice', { key: notice.key, status: sent.status });
    }
  }
  return { outcome };
}
