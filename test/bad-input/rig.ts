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
import { inFlight } from '../helpers/idle';
import { bundleWorkflows, devServerEnv, uniqueId } from '../helpers/temporal';

export interface BadInputRig {
  env: TestWorkflowEnvironment;
  sink: SmtpSink;
  store: Store;
  duban: DubanClient;
  tmp: string;
  close(): Promise<void>;
  /** Everything duban keeps of a task: ledger rows, outbox rows, history, projection, mail received. */
  snapshot(workflowId: string): Promise<unknown>;
  /**
   * Waits until nothing of the task is in flight: no workflow task, activity, child start or signal of
   * it or of its child workflows (the interview) is pending, no outbox row is pending, and every mail the
   * outbox calls sent is at the SMTP sink.
   */
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

  const history = async (workflowId: string) =>
    (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  /** The task's workflow and every child it started (the interview), each at most once. */
  const family = async (workflowId: string): Promise<string[]> => {
    const ids = [workflowId];
    for (let i = 0; i < ids.length; i++)
      for (const e of await history(ids[i])) {
        const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
        if (child && !ids.includes(child)) ids.push(child);
      }
    return ids;
  };
  const mailsOf = async (ids: string[]) => {
    const sent = new Set<string>();
    for (const id of ids) for (const o of await store.listOutbox(id)) sent.add(o.messageId);
    return sink.messages.filter((m) => sent.has(m.messageId)).length;
  };
  /** What of one workflow is still under way, or '' when nothing is. */
  const underWay = async (id: string): Promise<string> => {
    const open = inFlight(await history(id));
    if (open) return open;
    const outbox = await store.listOutbox(id);
    const pending = outbox.find((o) => o.status === 'pending');
    if (pending) return `outbox ${pending.key} pending`;
    const arrived = (o: (typeof outbox)[number]) =>
      sink.messages.some((m) => m.messageId === o.messageId && m.accepted);
    const missing = outbox.find((o) => o.status === 'sent' && !arrived(o));
    return missing ? `mail ${missing.key} not at the sink` : '';
  };
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
        history: (await history(workflowId)).length,
        summary: await store.getTask(workflowId),
        mails: await mailsOf(await family(workflowId)),
      };
    },
    async settle(workflowId) {
      let why = '';
      await waitUntil(
        `${workflowId} to settle`,
        async () => {
          for (const id of await family(workflowId)) {
            const busy = await underWay(id);
            if (busy) {
              why = `${id}: ${busy}`;
              return false;
            }
          }
          return true;
        },
        60_000,
        () => ` (${why})`,
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
