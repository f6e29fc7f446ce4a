import { condition, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { interviewNotices, rejectionMessage, sealRefusal, type Notice, type TaskState } from '../domain';
import { MAIL, nowIso } from './shell';
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

  /** Started by a task with a key: a signal not sealed with it is logged and dropped. */
  const unsealed = (name: string, payload: unknown, seal: unknown): boolean => {
    if (input.commandKey === undefined) return false;
    const r = sealRefusal(input.commandKey, { workflowId, name, payload }, seal, nowIso(), {
      checkTime: false,
    });
    if (r) log.warn('interview signal refused', { name, reason: rejectionMessage(r) });
    return r !== undefined;
  };

  setHandler(interviewEventSignal, (payload, seal) => {
    if (unsealed(interviewEventSignal.name, payload, seal)) return;
    const { event, state: s } = payload;
    state = s;
    queued.push(...interviewNotices(event, s));
    if (event.type === 'InterviewRecorded') outcome = 'recorded';
  });
  setHandler(interviewClosedSignal, (payload, seal) => {
    if (unsealed(interviewClosedSignal.name, payload, seal)) return;
    outcome = payload.reason;
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
