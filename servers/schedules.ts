import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { BULLETIN_WORKFLOW, type BulletinWorkflowInput } from '../workflows/bulletin-messages';
import { DIGEST_WORKFLOW } from '../workflows/digest-messages';

export type ScheduleOutcome = 'created' | 'updated' | 'exists' | 'deleted' | 'off';

interface Calendar {
  dayOfMonth?: number;
  hour: number;
  minute: number;
}

/**
 * A schedule at one time of the day (or of the month), Asia/Shanghai, kept in line with the configuration:
 * created when absent, its time and action updated when they differ, deleted when the configuration says
 * off. Two starters at once both succeed: the one that loses the create finds it there.
 */
async function ensureCalendarSchedule(
  client: Client,
  scheduleId: string,
  calendar: Calendar | 'off',
  action: { type: 'startWorkflow'; workflowType: string; taskQueue: string; args: unknown[] },
): Promise<ScheduleOutcome> {
  const handle = client.schedule.getHandle(scheduleId);
  const existing = await handle.describe().catch((err: unknown) => {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  });
  if (calendar === 'off') {
    if (!existing) return 'off';
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return 'deleted';
  }
  const spec = { calendars: [calendar], timezone: 'Asia/Shanghai' };
  if (!existing) {
    try {
      await client.schedule.create({ scheduleId, spec, action });
      return 'created';
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) return 'exists';
      throw err;
    }
  }
  const cal = existing.spec.calendars?.[0];
  const same =
    (calendar.dayOfMonth === undefined || cal?.dayOfMonth?.[0]?.start === calendar.dayOfMonth) &&
    cal?.hour?.[0]?.start === calendar.hour &&
    cal?.minute?.[0]?.start === calendar.minute &&
    existing.action.type === 'startWorkflow' &&
    existing.action.workflowType === action.workflowType &&
    existing.action.taskQueue === action.taskQueue &&
    JSON.stringify(existing.action.args ?? []) === JSON.stringify(action.args);
  if (same) return 'exists';
  await handle.update((s) => ({ ...s, spec, action }));
  return 'updated';
}

export const DIGEST_SCHEDULE_ID = 'duban-daily-digest';

export type DigestScheduleSetting = Config['digest']['schedule'];

/** When the digest goes out where nothing says otherwise (DUBAN_DIGEST_SCHEDULE's default). */
export const DIGEST_DEFAULT_TIME = { hour: 8, minute: 0 } as const;

/** The daily digest to leadership at the configured time (08:00 Asia/Shanghai unless set), or off. */
export function ensureDigestSchedule(
  client: Client,
  taskQueue: string,
  schedule: DigestScheduleSetting = DIGEST_DEFAULT_TIME,
): Promise<ScheduleOutcome> {
  return ensureCalendarSchedule(client, DIGEST_SCHEDULE_ID, schedule, {
    type: 'startWorkflow',
    workflowType: DIGEST_WORKFLOW,
    taskQueue,
    args: [],
  });
}

export const BULLETIN_SCHEDULE_ID = 'duban-monthly-bulletin';

export type BulletinScheduleSetting = Config['bulletin'];

/** The monthly 督查通报 to leadership as configured: its day, time and format, or off. */
export function ensureBulletinSchedule(
  client: Client,
  taskQueue: string,
  { schedule, format }: BulletinScheduleSetting,
): Promise<ScheduleOutcome> {
  return ensureCalendarSchedule(
    client,
    BULLETIN_SCHEDULE_ID,
    schedule === 'off' ? 'off' : { dayOfMonth: schedule.day, hour: schedule.hour, minute: schedule.minute },
    {
      type: 'startWorkflow',
      workflowType: BULLETIN_WORKFLOW,
      taskQueue,
      args: [{ format } satisfies BulletinWorkflowInput],
    },
  );
}
