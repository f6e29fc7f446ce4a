import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startedServer } from '../helpers/temporal';
import { temporal } from '@temporalio/proto';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from '../../servers/schedules';
import { ensureSearchAttributes } from '../../servers/search-attributes';
import { loadConfig } from '../../config/config';

const digestSetting = (vars: Record<string, string>) =>
  loadConfig({ DUBAN_DATA_DIR: '/tmp/unused', ...vars }).digest.schedule;

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  // A server duban did not start: nothing of duban's is registered on it.
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

test("duban's search attributes are registered once on a server it did not start", async () => {
  const { connection } = env;
  expect((await ensureSearchAttributes(connection, 'default')).sort()).toEqual(
    ['DubanDue', 'DubanLead', 'DubanPlan', 'DubanStatus', 'DubanTask'].sort(),
  );
  expect(await ensureSearchAttributes(connection, 'default')).toEqual([]);
  const { customAttributes } = await connection.operatorService.listSearchAttributes({
    namespace: 'default',
  });
  expect(customAttributes?.DubanDue).toBe(temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
  expect(customAttributes?.DubanStatus).toBe(
    temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  );
});

test('the daily digest schedule is created once, at 08:00 Asia/Shanghai; moved, then off, as configured', async () => {
  const handle = env.client.schedule.getHandle(DIGEST_SCHEDULE_ID);
  expect(await ensureDigestSchedule(env.client, 'duban-test')).toBe('created');
  expect(await ensureDigestSchedule(env.client, 'duban-test', digestSetting({}))).toBe('exists');
  let described = await handle.describe();
  expect(described.spec.timezone).toBe('Asia/Shanghai');
  expect(described.spec.calendars?.[0]).toMatchObject({
    hour: [{ start: 8, end: 8, step: 1 }],
    minute: [{ start: 0, end: 0, step: 1 }],
  });
  expect(described.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: 'digestWorkflow',
    taskQueue: 'duban-test',
  });

  const moved = digestSetting({ DUBAN_DIGEST_SCHEDULE: '7:30' });
  expect(await ensureDigestSchedule(env.client, 'duban-test', moved)).toBe('updated');
  expect(await ensureDigestSchedule(env.client, 'duban-test', moved)).toBe('exists');
  described = await handle.describe();
  expect(described.spec.calendars?.[0]).toMatchObject({
    hour: [{ start: 7, end: 7, step: 1 }],
    minute: [{ start: 30, end: 30, step: 1 }],
  });

  const off = digestSetting({ DUBAN_DIGEST_SCHEDULE: 'OFF' });
  expect(await ensureDigestSchedule(env.client, 'duban-test', off)).toBe('deleted');
  expect(await ensureDigestSchedule(env.client, 'duban-test', off)).toBe('off');
  await expect(handle.describe()).rejects.toThrow();
});

test('a digest time that is not HH:MM is refused with the variable’s name', () => {
  for (const bad of ['8', '24:00', '08:60', 'daily'])
    expect(() => digestSetting({ DUBAN_DIGEST_SCHEDULE: bad })).toThrow(
      'DUBAN_DIGEST_SCHEDULE must be off or "HH:MM", e.g. "08:00"',
    );
});
