import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startedServer } from '../helpers/temporal';
import { temporal } from '@temporalio/proto';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from '../../servers/schedules';
import { ensureSearchAttributes } from '../../servers/search-attributes';

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

test('the daily digest schedule is created once, at 08:00 Asia/Shanghai', async () => {
  expect(await ensureDigestSchedule(env.client, 'duban-test')).toBe('created');
  expect(await ensureDigestSchedule(env.client, 'duban-test')).toBe('exists');
  const described = await env.client.schedule.getHandle(DIGEST_SCHEDULE_ID).describe();
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
});
