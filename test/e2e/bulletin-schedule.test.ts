import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startedServer } from '../helpers/temporal';
import { loadConfig } from '../../config/config';
import { BULLETIN_SCHEDULE_ID, ensureBulletinSchedule } from '../../servers/schedules';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startedServer(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI! },
        extraArgs: ['--log-level', 'error'],
      },
    }),
  );
});
afterAll(() => env?.teardown());

const setting = (env: Record<string, string>) =>
  loadConfig({ DUBAN_DATA_DIR: '/tmp/unused', ...env }).bulletin;

test('the monthly bulletin schedule follows the configuration: on by default, moved, then off', async () => {
  const handle = env.client.schedule.getHandle(BULLETIN_SCHEDULE_ID);
  expect(await ensureBulletinSchedule(env.client, 'duban-test', setting({}))).toBe('created');
  expect(await ensureBulletinSchedule(env.client, 'duban-test', setting({}))).toBe('exists');
  let d = await handle.describe();
  expect(d.spec.timezone).toBe('Asia/Shanghai');
  expect(d.spec.calendars?.[0]).toMatchObject({
    dayOfMonth: [{ start: 1, end: 1, step: 1 }],
    hour: [{ start: 9, end: 9, step: 1 }],
    minute: [{ start: 0, end: 0, step: 1 }],
  });
  expect(d.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: 'bulletinWorkflow',
    taskQueue: 'duban-test',
    args: [{ format: 'docx' }],
  });

  const moved = setting({ DUBAN_BULLETIN_SCHEDULE: '3 08:30', DUBAN_BULLETIN_FORMAT: 'pdf' });
  expect(await ensureBulletinSchedule(env.client, 'duban-test', moved)).toBe('updated');
  d = await handle.describe();
  expect(d.spec.calendars?.[0]).toMatchObject({
    dayOfMonth: [{ start: 3, end: 3, step: 1 }],
    hour: [{ start: 8, end: 8, step: 1 }],
    minute: [{ start: 30, end: 30, step: 1 }],
  });
  expect(d.action).toMatchObject({ args: [{ format: 'pdf' }] });

  const off = setting({ DUBAN_BULLETIN_SCHEDULE: 'off' });
  expect(await ensureBulletinSchedule(env.client, 'duban-test', off)).toBe('deleted');
  expect(await ensureBulletinSchedule(env.client, 'duban-test', off)).toBe('off');
  await expect(handle.describe()).rejects.toThrow();
});

test('a schedule setting that is not a day and a time is refused with the variable’s name', () => {
  expect(() => setting({ DUBAN_BULLETIN_SCHEDULE: '31 09:00' })).toThrow(
    'DUBAN_BULLETIN_SCHEDULE must be off or "DAY HH:MM" (day of the month 1-28), e.g. "1 09:00"',
  );
  expect(() => setting({ DUBAN_BULLETIN_FORMAT: 'odt' })).toThrow(
    'DUBAN_BULLETIN_FORMAT must be docx or pdf',
  );
});
