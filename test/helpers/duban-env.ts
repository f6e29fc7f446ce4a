/**
 * The setup the time-skipping workflow tests share: a temp dir, the time-skipping test server, a real
 * SMTP server and a real SQLite store, with workers that run duban's real activities against them.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ParsedMail } from 'mailparser';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDirectory, type Directory } from '../../directory/directory';
import { createMailer } from '../../activities/mailer';
import { SHIPPED_DIRECTORY } from '../../config/config';
import type { CommandKey } from '../../config/command-key';
import { atLocalHour, toMillis } from '../../domain';
import { openStore, type Store } from '../../store';
import { createWorkerActivities } from '../../worker/activities';
import { startSmtpCapture, type SmtpCapture } from './smtp';
import { bundleWorkflows, timeSkippingEnv } from './temporal';

export interface TimeSkippedDuban {
  env: TestWorkflowEnvironment;
  smtp: SmtpCapture;
  store: Store;
  /** A fresh temp dir, removed on teardown. */
  tmp: string;
  /** The shipped directory (directory/taierzhuang.yaml). */
  directory: Directory;
  /** A worker on `taskQueue` running the real activities (sealing with `commandKey`); one bundle for all. */
  createWorker(taskQueue: string, opts?: { commandKey?: CommandKey }): Promise<Worker>;
  teardown(): Promise<void>;
}

/**
 * Starts the time-skipping test server and an SMTP capture, and opens a store in a new temp dir named
 * `duban-<prefix>-…`. If any of it fails, whatever did start is stopped again before the error is thrown.
 */
export async function startTimeSkippedDuban(prefix: string): Promise<TimeSkippedDuban> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `duban-${prefix}-`));
  let env: TestWorkflowEnvironment | undefined;
  let smtp: SmtpCapture | undefined;
  let store: Store | undefined;
  /** Stops whatever started, each step even if one before it failed; rethrows the first failure. */
  const teardown = async () => {
    const steps = [
      () => env?.teardown(),
      () => smtp?.close(),
      () => store?.close(),
      () => fs.rmSync(tmp, { recursive: true, force: true }),
    ];
    const failures: unknown[] = [];
    for (const step of steps)
      await Promise.resolve()
        .then(step)
        .catch((e: unknown) => failures.push(e));
    if (failures.length > 0) throw failures[0];
  };

  try {
    const [e, s] = await Promise.allSettled([timeSkippingEnv(), startSmtpCapture()]);
    if (e.status === 'fulfilled') env = e.value;
    if (s.status === 'fulfilled') smtp = s.value;
    if (e.status === 'rejected') throw e.reason;
    if (s.status === 'rejected') throw s.reason;
    store = await openStore(path.join(tmp, 'duban.db'));
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }

  const started = { env: env!, smtp: smtp!, store };
  const directory = loadDirectory(SHIPPED_DIRECTORY);
  let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

  return {
    ...started,
    tmp,
    directory,
    async createWorker(taskQueue, opts) {
      return Worker.create({
        connection: started.env.nativeConnection,
        taskQueue,
        workflowBundle: await (bundle ??= bundleWorkflows()),
        activities: createWorkerActivities({
          store: started.store,
          directory,
          mailer: createMailer({
            smtpUrl: started.smtp.url,
            from: '督查室 <duban@test.example>',
            dir: path.join(tmp, 'mail'),
          }),
          client: started.env.client,
          taskQueue,
          commandKey: opts?.commandKey,
        }),
      });
    },
    teardown,
  };
}

/** 09:00 Asia/Shanghai on `day` (YYYY-MM-DD), in epoch ms. */
export const at9 = (day: string): number => toMillis(atLocalHour(day, 9));

/** The addresses a mail was sent to, sorted. */
export const addresses = (m: ParsedMail): string[] =>
  ([] as { value: { address?: string }[] }[])
    .concat((m.to ?? []) as never)
    .flatMap((t) => t.value.map((v) => v.address!))
    .sort();
