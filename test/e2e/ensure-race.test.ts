import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startedServer } from '../helpers/temporal';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from '../../servers/schedules';
import { ensureSearchAttributes } from '../../servers/search-attributes';

// The worker, the HTTP server and `npm start` each ensure the schedule and the search attributes; when
// several start at once (docker-compose) they race, and every one of them must start.

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  // A server duban did not start: nothing of duban's is registered on it yet.
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

const ALL = ['DubanDue', 'DubanLead', 'DubanPlan', 'DubanStatus', 'DubanTask'];

test('two starters registering the search attributes at once both succeed, and every name is there', async () => {
  const [a, b] = await Promise.all([
    ensureSearchAttributes(env.connection, 'default'),
    ensureSearchAttributes(env.connection, 'default'),
  ]);
  // Each says what it found missing; between them, every name (both may have asked for the same one).
  expect(new Set([...a, ...b])).toEqual(new Set(ALL));
  const { customAttributes } = await env.connection.operatorService.listSearchAttributes({
    namespace: 'default',
  });
  expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(ALL));
  expect(await ensureSearchAttributes(env.connection, 'default')).toEqual([]);
});

test('two starters creating the digest schedule at once both succeed, with one schedule', async () => {
  const results = await Promise.all([
    ensureDigestSchedule(env.client, 'duban-test'),
    ensureDigestSchedule(env.client, 'duban-test'),
  ]);
  expect(results.sort()).toEqual(['created', 'exists']);
  const ids: string[] = [];
  for await (const s of env.client.schedule.list()) ids.push(s.scheduleId);
  expect(ids.filter((id) => id === DIGEST_SCHEDULE_ID)).toHaveLength(1);
});
