/**
 * The baseline of the lifecycle benchmark: a workflow that takes the same three updates as a duban task
 * (acknowledge, submitCompletion, verifyCompletion) and does nothing else — no validation, no activity,
 * no ledger, no mail, no timer. It ends when verified.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

interface Arg {
  actor: string;
  summary?: string;
  note?: string;
}
const acknowledge = defineUpdate<string, [Arg]>('acknowledge');
const submitCompletion = defineUpdate<string, [Arg]>('submitCompletion');
const verifyCompletion = defineUpdate<string, [Arg]>('verifyCompletion');

export async function bareTask(): Promise<string> {
  let status = 'assigned';
  setHandler(acknowledge, () => (status = 'acknowledged'));
  setHandler(submitCompletion, () => (status = 'submitted'));
  setHandler(verifyCompletion, () => (status = 'completed'));
  await condition(() => status === 'completed');
  return status;
}
