/**
 * The bench on duban's cluster (cluster/topology.ts): Temporal's own server on PostgreSQL (four history
 * shards), duban's store on the same PostgreSQL, duban's worker processes (dist/app/worker-main.js) — one,
 * then two on the same task queue — and the bare worker beside them, so each figure has its baseline on the
 * same server in the same run. The sections are main.ts's own; their figures are relabelled with the setup.
 */
import { Client, Connection } from '@temporalio/client';
import path from 'node:path';
import { startCluster } from '../cluster/topology';
import { createDubanClient, type DubanClient } from '../services/facade';
import { openStore, type Store } from '../store';
import {
  ROOT,
  rssOf,
  startSmtpSink,
  startWorker,
  type Server,
  type SmtpSink,
  type WorkerProcess,
} from './harness';

/** What main.ts's sections run on (its Rig, field for field). */
export interface BenchRig {
  tmp: string;
  server: Server;
  sink: SmtpSink;
  store: Store;
  client: Client;
  duban: DubanClient;
  worker: WorkerProcess;
  bare: WorkerProcess;
  bareQueue: string;
  idle: { worker: number; server: number };
  /** Workflow tasks that timed out, by section (the cluster's own: the goals count the dev server's). */
  timedOut: { scale: number; escalation: number };
}

export async function benchCluster(o: {
  /** main.ts's figures: those a section adds are relabelled with the setup they ran on. */
  figures: { section: string }[];
  sections: ((r: BenchRig) => Promise<void>)[];
  workers?: number[];
  log?: (line: string) => void;
}): Promise<void> {
  const log = o.log ?? ((l: string) => process.stderr.write(`[bench] ${l}\n`));
  const sink = await startSmtpSink();
  const cluster = await startCluster({ workers: 0, httpServers: 0, smtpUrl: sink.url, say: log });
  const store = await openStore(cluster.dbUrl);
  const connection = await Connection.connect({ address: cluster.temporal.address });
  const client = new Client({ connection, namespace: cluster.namespace });
  const address = cluster.temporal.address;
  const taskQueue = 'bench';
  const bareQueue = 'bench-bare';
  const workers: WorkerProcess[] = [];
  let bare: WorkerProcess | undefined;
  const env = { address, dataDir: cluster.dir, dbFile: cluster.dbUrl, smtpUrl: sink.url };
  try {
    bare = await startWorker(
      { ...env, taskQueue: bareQueue },
      path.join(ROOT, 'dist', 'bench', 'bare-worker.js'),
    );
    const server: Server = {
      address,
      uiUrl: '',
      port: cluster.temporal.ports.FRONTEND_PORT,
      uiPort: 0,
      dbFile: cluster.dbUrl,
      pid: () => cluster.temporal.pid(),
      stop: () => cluster.temporal.stop(),
    };
    for (const n of o.workers ?? [1, 2]) {
      while (workers.length < n) workers.push(await startWorker({ ...env, taskQueue }));
      const rig: BenchRig = {
        tmp: cluster.dir,
        server,
        sink,
        store,
        client,
        duban: createDubanClient({ client, taskQueue, store, callTimeoutMs: 300_000, startConcurrency: 16 }),
        worker: workers[0],
        bare,
        bareQueue,
        idle: { worker: rssOf(workers[0].pid) ?? 0, server: rssOf(server.pid()) ?? 0 },
        timedOut: { scale: 0, escalation: 0 },
      };
      const label = `Temporal server + PostgreSQL, ${n} worker${n > 1 ? 's' : ''}`;
      for (const section of o.sections) {
        const from = o.figures.length;
        await section(rig);
        for (const f of o.figures.slice(from)) f.section = `${f.section} (${label})`;
      }
    }
  } finally {
    for (const w of workers) await w.stop();
    await bare?.stop();
    await connection.close();
    await store.close();
    await cluster.stop();
    await sink.close();
  }
}
