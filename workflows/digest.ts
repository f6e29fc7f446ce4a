import { proxyActivities } from '@temporalio/workflow';
import type { createDigestActivities } from '../activities/digest';
import { dayOf } from '../domain';
import type { DigestResult, DigestWorkflowInput } from './digest-messages';

const { sendDigest, sendFullDigest } = proxyActivities<ReturnType<typeof createDigestActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

/**
 * Started each morning by the daily digest schedule (no input), or once on request for the full list.
 * The schedule's runs take the same path as before the full list existed, so their histories replay as
 * they are.
 */
export async function digestWorkflow(input?: DigestWorkflowInput): Promise<DigestResult> {
  if (input?.full) return sendFullDigest({ day: input.day, n: input.n });
  return sendDigest({ day: dayOf(Date.now()) });
}
