import { proxyActivities } from '@temporalio/workflow';
import type { createDigestActivities } from '../activities/digest';
import { dayOf } from '../domain';

const { sendDigest } = proxyActivities<ReturnType<typeof createDigestActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

/** Started each morning by the daily digest schedule. */
export async function digestWorkflow(): Promise<{ items: number; sent: boolean }> {
  return sendDigest({ day: dayOf(Date.now()) });
}
