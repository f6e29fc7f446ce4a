/** The baseline's worker, its own process like duban's: `node dist/bench/bare-worker.js` (TEMPORAL_ADDRESS, DUBAN_TASK_QUEUE). */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const taskQueue = process.env.DUBAN_TASK_QUEUE ?? 'bare';
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./timer-workflow'),
  });
  process.stdout.write(`[bench] bare worker on ${address}, task queue "${taskQueue}"\n`);
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] bare worker failed: ${String(err)}\n`);
  process.exit(1);
});
