import { Client, Connection } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { loadDirectory } from '../directory/directory';
import { createMailer } from '../activities/mailer';
import type { Config } from '../config/config';
import type { Store } from '../store';
import { createWorkerActivities } from './activities';

/**
 * Each workflow the worker creates or replays runs the bundle's module scope anew, except modules
 * preloaded once and shared (deep-frozen) by all. Only data can be shared: zod writes to its own objects
 * lazily and fails when frozen, so domain/ is loaded per workflow; the holiday table is not.
 */
export const WORKFLOW_BUNDLER_OPTIONS = {
  preloadModules: ['chinese-days/dist/chinese-days.json'],
} satisfies WorkerOptions['bundlerOptions'];

export interface WorkerDeps {
  config: Config;
  connection: NativeConnection;
  /** Where the activities' own client connects (the same server as the worker). */
  address: string;
  store: Store;
  /** A pre-built bundle (tests build one per file); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** The duban worker: the task, interview and restriction workflows plus their activities. */
export async function createDubanWorker({
  config,
  connection,
  address,
  store,
  workflowBundle,
}: WorkerDeps): Promise<{ worker: Worker; close(): Promise<void> }> {
  const directory = loadDirectory(config.directoryFile);
  const mailer = createMailer(config.mail);
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // The SDK's default sizes the cache from the heap limit (about 2,300 workflows here, ~3 GiB of RSS):
    // a district's open tasks would keep the worker far above 1 GiB. Evicted tasks replay when woken.
    // With it, `npm start`, `npm run worker` and the image cap the heap (--max-old-space-size=768).
    maxCachedWorkflows: config.temporal.workflowCache,
    maxConcurrentWorkflowTaskExecutions: config.temporal.workflowConcurrency,
    maxConcurrentWorkflowTaskPolls: config.temporal.workflowPollers,
    maxConcurrentActivityTaskPolls: config.temporal.activityPollers,
    maxConcurrentActivityTaskExecutions: config.temporal.activityConcurrency,
    stickyQueueScheduleToStartTimeout: config.temporal.stickyTimeoutSeconds * 1000,
    ...(workflowBundle
      ? { workflowBundle }
      : { workflowsPath: require.resolve('../workflows'), bundlerOptions: WORKFLOW_BUNDLER_OPTIONS }),
    activities: createWorkerActivities({
      store,
      mailer,
      directory,
      client,
      taskQueue: config.temporal.taskQueue,
      commandKey: config.commandKey,
      documentPrefix: config.documents.prefix,
    }),
  });
  return { worker, close: () => clientConnection.close() };
}
