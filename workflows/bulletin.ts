import { proxyActivities } from '@temporalio/workflow';
import type { createBulletinActivities } from '../activities/bulletin';
import { dayOf } from '../domain';
import { previousMonth } from '../domain/bulletin';
import type { BulletinWorkflowInput, BulletinWorkflowResult } from './bulletin-messages';

const { sendBulletin } = proxyActivities<ReturnType<typeof createBulletinActivities>>({
  // Rendering every plan's file takes longer than one mail.
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

/** Started monthly by the bulletin schedule: last month's 督查通报 of every plan, mailed to leadership. */
export async function bulletinWorkflow(input: BulletinWorkflowInput): Promise<BulletinWorkflowResult> {
  const day = dayOf(Date.now());
  const period = input.period ?? previousMonth(day);
  const r = await sendBulletin({ period, day, format: input.format });
  return { period, ...r };
}
