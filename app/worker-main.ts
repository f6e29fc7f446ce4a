import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig, requireCommandKey } from '../config/config';
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
  const store = await openStore(config.db.file);
  const { worker, close } = await createDubanWorker({ config, connection, address, store });
  process.stdout.write(`[duban] worker on ${address}, task queue "${config.temporal.taskQueue}"\n`);
  // Worker.run handles SIGINT/SIGTERM itself and resolves once shut down.
  await worker.run();
  await close();
  await store.close();
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`[duban] ${err instanceof ConfigError ? err.message : `failed: ${String(err)}`}\n`);
  process.exit(1);
});
