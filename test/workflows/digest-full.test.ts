/**
 * `duban digest --send` on the time-skipping server: a one-off run of the digest workflow mails the full list
 * to a real SMTP server through the outbox, and a second request is a second run and a second mail.
 */
import type { Worker } from '@temporalio/worker';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import type { TaskSummary } from '../../domain';
import { createDigestClient } from '../../services/digest';
import type { DubanClient } from '../../services/facade';
import { addresses, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

const TODAY = '2027-03-01';
let duban: TimeSkippedDuban;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;

const task = (taskId: string, over: Partial<TaskSummary>): TaskSummary => ({
  workflowId: `task/full/${taskId}`,
  plan: 'full',
  taskId,
  title: `任务${taskId}`,
  lead: ['区环保局'],
  cooperating: [],
  status: 'acknowledged',
  due: '2027-06-30',
  escalation: 'none',
  acknowledged: ['区环保局'],
  assignedAt: '2027-01-01T01:00:00.000Z',
  updatedAt: '2027-01-01T01:00:00.000Z',
  seq: 2,
  ...over,
});

beforeAll(async () => {
  duban = await startTimeSkippedDuban('digest-full');
  taskQueue = uniqueId('digest-full');
  worker = await duban.createWorker(taskQueue);
  running = worker.run();
  await duban.store.upsertTask(task('on-time', {}));
  await duban.store.upsertTask(task('late', { due: '2027-02-15', escalation: 'overdue', seq: 3 }));
  await duban.store.upsertTask(task('interviewed', { escalation: 'interview', seq: 4 }));
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await duban?.teardown();
});

async function send(): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const open: CliIo['open'] = async () =>
    ({
      facade: { list: () => duban.store.listTasks({}) } as Partial<DubanClient> as DubanClient,
      address: 'localhost:7233',
      ensureTemporal: async () => undefined,
      digest: createDigestClient({ client: duban.env.client, taskQueue }),
      close: async () => undefined,
    }) satisfies Session;
  const code = await main(['digest', '--send'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: duban.tmp },
    today: TODAY,
    open,
  });
  return { code, stdout, stderr };
}

test('--send mails the full list to leadership once per request', async () => {
  const first = await send();
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('已向区领导发送完整清单，2 项（digest/full/2027-03-01/1）');
  await duban.smtp.waitFor((ms) => ms.length >= 1);
  expect(duban.smtp.messages).toHaveLength(1);
  const [mail] = duban.smtp.messages;
  expect(mail.subject).toBe('【督办】每日督办摘要（2027-03-01）：逾期及升级任务 2 项');
  expect(mail.text).toContain('full/late  任务late  牵头：区环保局  期限：2027-02-15  催办');
  expect(mail.text).toContain('full/interviewed  任务interviewed');
  expect(mail.text).toContain('完整清单，应要求发送 / the full list, sent on request.');
  expect(mail.text).not.toContain('on-time');
  expect(addresses(mail)).toEqual(
    [...duban.directory.leadership, ...duban.directory.supervisors].map((p) => p.email).sort(),
  );

  const second = await send();
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('（digest/full/2027-03-01/2）');
  await duban.smtp.waitFor((ms) => ms.length >= 2);
  expect(duban.smtp.messages).toHaveLength(2);
  expect(duban.smtp.messages[1].subject).toBe(mail.subject);
  expect(duban.smtp.messages[1].messageId).not.toBe(mail.messageId);
});
