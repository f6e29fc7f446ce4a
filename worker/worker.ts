import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadDirectory } from '../activities/directory';
import { createMailer } from '../activities/mailer';
import type { Config } from '../app/config';
import type { Store } from '../store';

export interface WorkerDeps {
  config: Config;
  connection: NativeConnection;
  store: Store;
  /** A pre-built bundle (tests build one per file); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** The duban worker: the task workflows plus the activities that record and notify. */
export async function createDubanWorker({
  config,
  connection,
  store,
  workflowBundle,
}: WorkerDeps): Promise<Worker> {
  const directory = loadDirectory(config.directoryFile);
  const mailer = createMailer(config.mail);
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ store, mailer, directory }),
  });
}
