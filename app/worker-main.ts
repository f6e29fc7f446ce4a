import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { watchCalendar } from '../services/calendar';
import { createDubanClient } from '../services/facade';
import { ConfigError, loadConfig, requireCommandKey } from '../config/config';
import { ensureTemporalSetup } from '../servers/ensure';
import { openStore } from '../store';
import { createDubanWorker } from '../worker/worker';

/** A worker alone, for deployments that run Temporal and the HTTP server elsewhere (docker-compose). */
async function main(): Promise<void> {
  const config = loadConfig();
  // The ladder's signals to a region's 限批 workflow are sealed like commands.
  requireCommandKey(config);
  Runtime.install({ logger: new DefaultLogger(config.logLevel) });
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.port}`;
  const connection = await NativeConnection.connect({ address });
  const store = await openStore(config.db);
  const { worker, close } = await createDubanWorker({ config, connection, address, store });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  // Whichever of this worker and the HTTP server starts first registers them; the other finds them there.
  await ensureTemporalSetup({
    connection: clientConnection,
    client,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    digest: config.digest.schedule,
    bulletin: config.bulletin,
    say: (line) => process.stdout.write(`[duban] ${line}\n`),
  });
  // A calendar `duban calendar load` stored while Temporal was down reaches the open tasks once it is back.
  const calendar = watchCalendar({
    store,
    facade: createDubanClient({ client, taskQueue: config.temporal.taskQueue, store }),
    everyMs: 60_000,
    onTold: (r) =>
      process.stdout.write(`[duban] told ${r.signalled.length} open task(s) of the loaded calendar\n`),
  });
  process.stdout.write(`[duban] worker on ${address}, task queue "${config.temporal.taskQueue}"\n`);
  // Worker.run handles SIGINT/SIGTERM itself and resolves once shut down.
  await worker.run();
  calendar.stop();
  await clientConnection.close();
  await close();
  await store.close();
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`[duban] ${err instanceof ConfigError ? err.message : `failed: ${String(err)}`}\n`);
  process.exit(1);
});
