/**
 * The whole system on a real dev server: a task started, acknowledged, submitted and verified through
 * the client facade; the mails arrive at a real SMTP server; the ledger holds every step; a refused
 * command leaves no trace in the workflow's history or the ledger. On both stores: SQLite, and PostgreSQL
 * (a throwaway cluster), one dev server and SMTP capture for both.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { createDubanClient, CommandRefused, type DubanClient } from '../../services/facade';
import { loadDirectory } from '../../directory/directory';
import { openStore, type Store } from '../../store';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { BACKENDS, useBackend } from '../helpers/store-backends';
import { bundleWorkflows, devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;
let bundle: WorkflowBundleWithSourceMap;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-e2e-'));
  [env, smtp, bundle] = await Promise.all([devServerEnv(), startSmtpCapture(), bundleWorkflows()]);
});

afterAll(async () => {
  await env?.teardown();
  await smtp?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const directory = () => loadDirectory(path.join(__dirname, '..', '..', 'directory', 'taierzhuang.yaml'));
const addresses = (m: { to?: unknown }) =>
  ([] as { value: { address?: string }[] }[])
    .concat((m.to ?? []) as never)
    .flatMap((t) => t.value.map((v) => v.address))
    .sort();

describe.each(BACKENDS)('on %s', (name) => {
  const backend = useBackend(name);
  let store: Store;
  let worker: { stop(): Promise<void> } | undefined;
  let duban: DubanClient;

  beforeAll(async () => {
    const config = loadConfig({
      DUBAN_DATA_DIR: path.join(tmp, name),
      DUBAN_DB_URL: await backend.fresh(),
      DUBAN_SMTP_URL: smtp.url,
      DUBAN_MAIL_FROM: '督查室 <duban@test.example>',
      DUBAN_TASK_QUEUE: uniqueId(`e2e-${name}`),
    });
    store = await openStore(config.db.file);
    worker = await runDubanWorker(env, config, store, bundle);
    duban = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });
  });

  afterAll(async () => {
    await worker?.stop();
    await store?.close();
  });

  test('start, acknowledge, submit, verify: mails to the right people, every step on the ledger', async () => {
    expect(store.dialect).toBe(name);
    const plan = uniqueId('plan');
    const dir = directory();
    const [result] = await duban.startTasks([
      {
        plan,
        id: '2-1-1',
        title: '加强工业污染防治',
        lead: ['区环保局'],
        cooperating: ['区发改局', '区经信局'],
        due: '2030-12-31',
      },
    ]);
    expect(result).toEqual({ workflowId: `task/${plan}/2-1-1`, started: true });
    const again = await duban.startTasks([
      {
        plan,
        id: '2-1-1',
        title: '加强工业污染防治',
        lead: ['区环保局'],
        cooperating: ['区发改局', '区经信局'],
        due: '2030-12-31',
      },
    ]);
    expect(again).toEqual([{ workflowId: `task/${plan}/2-1-1`, started: false }]);
    const id = `${plan}/2-1-1`;

    await smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('任务交办') && m.subject.includes(plan)));
    const assigned = smtp.messages.find((m) => m.subject?.includes('任务交办') && m.subject.includes(plan))!;
    expect(addresses(assigned)).toEqual(
      [
        dir.departments['区环保局'].email,
        dir.departments['区发改局'].email,
        dir.departments['区经信局'].email,
      ].sort(),
    );
    expect(assigned.subject).toContain('加强工业污染防治');

    // A department not on the task is refused, and nothing of it is kept.
    await expect(duban.command(id, 'acknowledge', { actor: '区住建局' })).rejects.toThrow(
      new CommandRefused(
        '区住建局 不是本任务的牵头或配合单位 / 区住建局 is not a lead or cooperating department of this task',
      ),
    );

    expect((await duban.command(id, 'acknowledge', { actor: '区环保局' })).status).toBe('acknowledged');
    expect((await duban.command(id, 'acknowledge', { actor: '区经信局' })).acknowledged).toHaveProperty(
      '区经信局',
    );
    await duban.command(id, 'reportProgress', { actor: '区环保局', note: '已完成排查' });
    expect(
      (await duban.command(id, 'submitCompletion', { actor: '区环保局', summary: '全部完成' })).status,
    ).toBe('submitted');
    await smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('办结待审核') && m.subject.includes(plan)));
    const submitted = smtp.messages.find(
      (m) => m.subject?.includes('办结待审核') && m.subject.includes(plan),
    )!;
    expect(addresses(submitted)).toEqual(dir.supervisors.map((s) => s.email).sort());

    expect((await duban.command(id, 'verifyCompletion', { actor: 'supervisor' })).status).toBe('completed');
    await smtp.waitFor((ms) =>
      ms.some((m) => m.subject?.includes('办结审核通过') && m.subject.includes(plan)),
    );

    const ledger = await duban.ledger(id);
    expect(ledger.map((e) => e.type)).toEqual([
      'TaskAssigned',
      'Acknowledged',
      'Acknowledged',
      'ProgressReported',
      'CompletionSubmitted',
      'CompletionVerified',
    ]);
    expect(ledger.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(JSON.stringify(ledger)).not.toContain('区住建局');
    expect(await store.verifyLedger()).toMatchObject({ ok: true });

    // The refused update never entered the history: only the five commands that were allowed.
    const history = await env.client.workflow.getHandle(`task/${plan}/2-1-1`).fetchHistory();
    const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toHaveLength(5);

    const [summary] = await duban.list({ plan });
    expect(summary).toMatchObject({ status: 'completed', taskId: '2-1-1', lead: ['区环保局'] });
  });
});
