import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { DIGEST_WORKFLOW } from '../workflows/digest-messages';

export const DIGEST_SCHEDULE_ID = 'duban-daily-digest';

/** The daily digest to leadership, 08:00 Asia/Shanghai; created once, left alone when it exists. */
export async function ensureDigestSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec: { calendars: [{ hour: 8, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: DIGEST_WORKFLOW, taskQueue, args: [] },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
