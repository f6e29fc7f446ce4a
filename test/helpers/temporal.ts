import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Config } from '../../config/config';
import type { Store } from '../../store';
import { createDubanWorker } from '../../worker/worker';
import { SA } from '../../workflows/search-attributes';

// Workers' state changes are noise in test output; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: the jest globalSetup (scripts/temporal-servers.sh) names it`);
  return v;
}

/**
 * The SDK's core gives a server it starts 5 s to answer (a fixed deadline); on a machine busy with other
 * suites a start can miss it, so a start that timed out is tried again on a new port.
 */
export async function startedServer<T>(start: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= tries || !/did not start within/.test(String((err as Error)?.message))) throw err;
    }
  }
}

/** The time-skipping test server, from the project's own cache (never downloaded at test time). */
export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return startedServer(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: required('TEMPORAL_TEST_SERVER') } },
    }),
  );
}

/** A real dev server (`temporal server start-dev`) with duban's search attributes registered. */
export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return startedServer(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: required('TEMPORAL_CLI') },
        searchAttributes: Object.values(SA),
        extraArgs: ['--log-level', 'error'],
      },
    }),
  );
}

export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

let counter = 0;
/** Unique per test run, so reruns against one server never collide. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** duban's own worker (as `npm start` wires it) on a test server, polling until `stop()`. */
export async function runDubanWorker(
  env: TestWorkflowEnvironment,
  config: Config,
  store: Store,
  workflowBundle?: WorkflowBundleWithSourceMap,
): Promise<{ stop(): Promise<void> }> {
  const created = await createDubanWorker({
    config,
    connection: env.nativeConnection,
    address: env.address,
    store,
    workflowBundle: workflowBundle ?? (await bundleWorkflows()),
  });
  const running = created.worker.run();
  return {
    async stop() {
      created.worker.shutdown();
      await running;
      await created.close();
    },
  };
}
