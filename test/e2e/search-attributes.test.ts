import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { ensureSearchAttributes } from '../../app/search-attributes';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  // A server duban did not start: nothing of duban's is registered on it.
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI! },
      extraArgs: ['--log-level', 'error'],
    },
  });
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
