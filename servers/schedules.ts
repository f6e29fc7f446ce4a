import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { BULLETIN_WORKFLOW, type BulletinWorkflowInput } from '../workflows/bulletin-messages';
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

export const BULLETIN_SCHEDULE_ID = 'duban-monthly-bulletin';

export type BulletinScheduleSetting = Config['bulletin'];

/**
 * The monthly 督查通报 to leadership as configured: created when absent, its time and format brought in line
 * with the configuration when present, deleted when the configuration says off.
 */
export async function ensureBulletinSchedule(
  client: Client,
  taskQueue: string,
  { schedule, format }: BulletinScheduleSetting,
): Promise<'created' | 'updated' | 'exists' | 'deleted' | 'off'> {
  const handle = client.schedule.getHandle(BULLETIN_SCHEDULE_ID);
  const existing = await handle.describe().catch((err: unknown) => {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  });
  if (schedule === 'off') {
    if (!existing) return 'off';
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return 'deleted';
  }
  const spec = {
    calendars: [{ dayOfMonth: schedule.day, hour: schedule.hour, minute: schedule.minute }],
    timezone: 'Asia/Shanghai',
  };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: BULLETIN_WORKFLOW,
    taskQueue,
    args: [{ format } satisfies BulletinWorkflowInput],
  };
  if (!existing) {
    try {
      await client.schedule.create({ scheduleId: BULLETIN_SCHEDULE_ID, spec, action });
      return 'created';
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) return 'exists';
      throw err;
    }
  }
  const cal = existing.spec.calendars?.[0];
  const same =
    cal?.dayOfMonth?.[0]?.start === schedule.day &&
    cal?.hour?.[0]?.start === schedule.hour &&
    cal?.minute?.[0]?.start === schedule.minute &&
    existing.action.type === 'startWorkflow' &&
    existing.action.taskQueue === taskQueue &&
    (existing.action.args?.[0] as BulletinWorkflowInput | undefined)?.format === format;
  if (same) return 'exists';
  await handle.update((s) => ({ ...s, spec, action }));
  return 'updated';
}
