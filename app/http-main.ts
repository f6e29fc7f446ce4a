import { Client, Connection } from '@temporalio/client';
import { createDubanClient } from '../services/facade';
import { buildHttpServerFromConfig } from '../http/from-config';
import { openStore } from '../store';
import { ensureTemporalSetup } from '../servers/ensure';
import { ConfigError, loadConfig, requireCommandKey } from '../config/config';
import { directoryOf } from '../services/breakdown-directory';

/** The HTTP server alone, for deployments that run the worker in its own process (docker-compose). */
async function main(): Promise<void> {
  const config = loadConfig();
  const commandKey = requireCommandKey(config);
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.port}`;
  const connection = await Connection.connect({ address });
  const store = await openStore(config.db);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  // Whichever of the worker and this server starts first registers them; the other finds them there.
  await ensureTemporalSetup({
    connection,
    client,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    digest: config.digest.schedule,
    bulletin: config.bulletin,
    say: (line) => process.stdout.write(`[duban] ${line}\n`),
  });
  const facade = createDubanClient({
    client,
    taskQueue: config.temporal.taskQueue,
    store,
    commandKey,
    startConcurrency: config.temporal.startConcurrency,
    directory: directoryOf(config),
  });
  const http = buildHttpServerFromConfig({ config, client, store, facade, commandKey });
  await http.listen({ port: config.http.port, host: config.http.host });
  process.stdout.write(
    `[duban] HTTP: http://${config.http.host}:${config.http.port} (Temporal ${address})\n`,
  );
  const stop = async () => {
    await http.close();
    await store.close();
    await connection.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`[duban] ${err instanceof ConfigError ? err.message : `failed: ${String(err)}`}\n`);
  process.exit(1);
});
