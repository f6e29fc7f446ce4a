import { startCluster } from './topology';

/**
 * `npm run cluster` (its entry point lives here, not in app/: the image does not carry the cluster): the production-shaped topology on this machine until Ctrl-C, in a temporary folder
 * (databases, logs, mail) that is removed on exit unless DUBAN_CLUSTER_KEEP is set.
 */
async function main(): Promise<void> {
  const ports = (process.env.DUBAN_CLUSTER_HTTP_PORTS ?? '3001,3002').split(',').map(Number);
  const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
  const cluster = await startCluster({ httpPorts: ports, keep: !!process.env.DUBAN_CLUSTER_KEEP, say });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    void cluster.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`[cluster] stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const lines = [
    `PostgreSQL      ${cluster.postgres.url('postgres')} (databases temporal, temporal_visibility, duban)`,
    `Temporal        ${cluster.temporal.address} (namespace ${cluster.namespace}, task queue ${cluster.taskQueue}; log ${cluster.temporal.logFile})`,
    ...cluster.workers.map((w) => `${w.name.padEnd(15)} pid ${w.pid()}`),
    ...cluster.http.map((h) => `${h.name.padEnd(15)} ${h.url} (pid ${h.pid()})`),
    `mail            ${cluster.mail.url} -> ${cluster.mail.dir}/*.eml`,
    `logs            ${cluster.dir}/*.log`,
    `supervisor      Authorization: Bearer ${cluster.supervisorToken}`,
    '',
    'The CLI against it:',
    `  export TEMPORAL_ADDRESS=${cluster.temporal.address} DUBAN_DB_URL=${cluster.dbUrl} DUBAN_COMMAND_KEY_FILE=${cluster.commandKeyFile}`,
    '',
    'Ctrl-C stops everything.',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`[cluster] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
