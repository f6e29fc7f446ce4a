import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { createDubanClient } from '../services/facade';
import { buildHttpServerFromConfig } from '../http/from-config';
import { ensureSupervisorToken } from '../services/tokens';
import { watchCalendar } from '../services/calendar';
import { describeLocation, openStore } from '../store';
import { createDubanWorker } from '../worker/worker';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { commandKeyFile, createCommandKeyFile } from '../config/command-key';
import { ensureTemporalSetup } from '../servers/ensure';
import { obtainServers, startDevServer, type DevServer } from '../servers/temporal';
import { directoryOf } from '../services/breakdown-directory';

const say = (line: string) => process.stdout.write(`[duban] ${line}\n`);

async function connectWithRetry(address: string, timeoutMs: number): Promise<NativeConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await NativeConnection.connect({ address });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Runs the whole system in one process: dev server (unless TEMPORAL_ADDRESS), worker and HTTP server. */
export async function run(configured: Config): Promise<void> {
  fs.mkdirSync(configured.dataDir, { recursive: true });
  // First start without a configured key: one is made in the data folder, where the CLI finds it too.
  let config = configured;
  if (!config.commandKey) {
    const file = commandKeyFile(config.dataDir);
    config = { ...config, commandKey: createCommandKeyFile(file) };
    say(`command key created: ${file} (mode 0600; keep it secret, back it up with the data folder)`);
  }
  const { commandKey } = config;
  let devServer: DevServer | undefined;
  let address = config.temporal.address;
  if (!address) {
    const { cli } = obtainServers();
    devServer = await startDevServer({
      cli,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      port: config.temporal.port,
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      logFile: path.join(config.dataDir, 'temporal.log'),
    });
    address = devServer.address;
    say(
      `Temporal dev server: ${address}  (web UI ${devServer.uiUrl}, data ${path.join(config.dataDir, 'temporal.db')})`,
    );
  } else {
    say(`Temporal server: ${address} (namespace ${config.temporal.namespace})`);
  }

  const nativeConnection = await connectWithRetry(address, 30_000);
  const store = await openStore(config.db);
  const { worker, close: closeWorkerClient } = await createDubanWorker({
    config,
    connection: nativeConnection,
    address,
    store,
  });
  const workerDone = worker.run();
  say(`worker: task queue "${config.temporal.taskQueue}"`);

  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  await ensureTemporalSetup({
    connection,
    client,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    digest: config.digest.schedule,
    bulletin: config.bulletin,
    say,
    // The dev server duban started registered them itself.
    searchAttributes: !devServer,
  });
  const facade = createDubanClient({
    client,
    taskQueue: config.temporal.taskQueue,
    store,
    commandKey,
    startConcurrency: config.temporal.startConcurrency,
    directory: directoryOf(config),
  });
  // A calendar `duban calendar load` stored while Temporal was down reaches the open tasks now.
  const calendar = watchCalendar({
    store,
    facade,
    everyMs: 60_000,
    onTold: (r) =>
      say(`told ${r.signalled.length} open task(s) of the calendar loaded while Temporal was down`),
  });
  const http = buildHttpServerFromConfig({ config, client, store, facade, commandKey });
  await http.listen({ port: config.http.port, host: config.http.host });
  say(`HTTP: http://${config.http.host}:${config.http.port}  (API /api, OpenAPI /docs, /health)`);
  say(`督办看板 / dashboard: http://${config.http.host}:${config.http.port}/`);
  const first = await ensureSupervisorToken(store);
  if (first) {
    say(
      '首次启动，已生成督查室令牌（只显示这一次，请妥善保存） / first start: a supervisor token, shown this once only:',
    );
    say(`    ${first.token}`);
    say(
      `用它登录看板 / sign in with it: http://${config.http.host}:${config.http.port}/signin ; ` +
        '更多令牌 / more tokens: npx duban token create --role department --dept 区环保局 (duban token --help)',
    );
  }
  say(`database: ${describeLocation(config.db.file)}`);
  say(
    config.mail.smtpUrl
      ? `mail: SMTP ${config.mail.smtpUrl.replace(/\/\/[^@/]*@/, '//***@')}`
      : `mail: written as .eml files to ${config.mail.dir}`,
  );
  say(`directory: ${config.directoryFile}`);
  say(
    'ready. Ctrl-C stops. Try: npx duban plan start plans/taierzhuang-2016-water.yaml (or npx duban task start --file examples/taierzhuang-tasks.yaml)',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    calendar.stop();
    await http.close();
    // The SDK's own signal handler may already have begun the shutdown.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone.catch(() => undefined);
    await closeWorkerClient();
    await connection.close();
    await nativeConnection.close();
    await store.close();
    await devServer?.stop();
    say('stopped.');
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await workerDone;
  if (!stopping) throw new Error('the worker stopped unexpectedly');
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
    Runtime.install({ logger: new DefaultLogger(config.logLevel) });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`[duban] ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  run(config).catch((err: unknown) => {
    process.stderr.write(`[duban] failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
