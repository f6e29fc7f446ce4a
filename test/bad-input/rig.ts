/**
 * A dev server with duban's worker in this process, a real SMTP server and the store: for bad-input
 * tests that send refused commands and check that nothing of them was kept anywhere.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSmtpSink, waitUntil, type SmtpSink } from '../../bench/harness';
import { loadConfig } from '../../config/config';
import {
  createDubanClient,
  type CommandArgs,
  type CommandName,
  type DubanClient,
} from '../../services/facade';
import { openStore, type Store } from '../../store';
import { createDubanWorker } from '../../worker/worker';
import { bundleWorkflows, devServerEnv, uniqueId } from '../helpers/temporal';

export interface BadInputRig {
  env: TestWorkflowEnvironment;
  sink: SmtpSink;
  store: Store;
  duban: DubanClient;
  tmp: string;
  close(): Promise<void>;
  /** Everything duban keeps of a task: ledger rows, outbox rows, history, projection. */
  snapshot(workflowId: string): Promise<unknown>;
  /** Waits until the task's mail is out and its history has stopped growing. */
  settle(workflowId: string): Promise<void>;
  /** Sends a command that must be refused with `message`, and checks that nothing of it was kept. */
  refused<T extends CommandName>(
    id: string,
    type: T,
    args: CommandArgs[T],
    message: string | RegExp,
  ): Promise<void>;
}

export async function startBadInputRig(name: string): Promise<BadInputRig> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `duban-bad-${name}-`));
  const [env, sink] = await Promise.all([devServerEnv(), startSmtpSink()]);
  const config = loadConfig({
    DUBAN_DATA_DIR: tmp,
    DUBAN_SMTP_URL: sink.url,
    DUBAN_MAIL_FROM: '督查室 <duban@test.example>',
    DUBAN_TASK_QUEUE: uniqueId(name),
  });
  const store = await openStore(config.db.file);
  const created = await createDubanWorker({
    config,
    connection: env.nativeConnection,
    address: env.address,
    store,
    workflowBundle: await bundleWorkflows(),
  });
  const worker: Worker = created.worker;
  const running = worker.run();
  const duban = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });

  const historyLength = async (workflowId: string) =>
    (await env.client.workflow.getHandle(workflowId).fetchHistory()).events!.length;
  const rig: BadInputRig = {
    env,
    sink,
    store,
    duban,
    tmp,
    async close() {
      worker.shutdown();
      await running;
      await created.close();
      await env.teardown();
      await sink.close();
      await store.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
    async snapshot(workflowId) {
      return {
        ledger: await store.ledgerFor(workflowId),
        outbox: await store.listOutbox(workflowId),
        history: await historyLength(workflowId),
        summary: await store.getTask(workflowId),
        mails: sink.messages.length,
      };
    },
    async settle(workflowId) {
      let last = -1;
      await waitUntil(
        `${workflowId} to settle`,
        async () => {
          const outbox = await store.listOutbox(workflowId);
          const n = await historyLength(workflowId);
          const quiet = outbox.every((o) => o.status !== 'pending') && n === last;
          last = n;
          return quiet;
        },
        30_000,
        undefined,
        400,
      );
    },
    async refused(id, type, args, message) {
      const workflowId = duban.resolveId(id);
      await rig.settle(workflowId);
      const before = await rig.snapshot(workflowId);
      await expect(duban.command(id, type, args)).rejects.toThrow(message);
      expect(await rig.snapshot(workflowId)).toEqual(before);
    },
  };
  return rig;
}
