import { MockActivityEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDigestActivities } from '../../activities/digest';
import { loadDirectory } from '../../directory/directory';
import { createMailer } from '../../activities/mailer';
import type { TaskSummary } from '../../domain';
import { openStore, type Store } from '../../store';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

const directory = loadDirectory(path.join(__dirname, '..', '..', 'directory', 'taierzhuang.yaml'));
let tmp: string;
let smtp: SmtpCapture;
let store: Store;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-digest-'));
  smtp = await startSmtpCapture();
  store = await openStore(path.join(tmp, 'duban.db'));
});
afterAll(async () => {
  await smtp?.close();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const task = (taskId: string, over: Partial<TaskSummary>): TaskSummary => ({
  workflowId: `task/digest/${taskId}`,
  plan: 'digest',
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

test('the daily digest goes to leadership only when something is overdue or escalated, once a day', async () => {
  const env = new MockActivityEnvironment();
  const { sendDigest } = createDigestActivities({
    store,
    directory,
    mailer: createMailer({ smtpUrl: smtp.url, from: '督查室 <duban@test.example>', dir: tmp }),
  });
  await store.upsertTask(task('on-time', {}));
  await store.upsertTask(
    task('done-late', { status: 'completed', due: '2027-01-31', escalation: 'overdue' }),
  );
  expect(await env.run(sendDigest, { day: '2027-03-01' })).toEqual({ items: 0, sent: false });

  await store.upsertTask(task('late', { due: '2027-02-15', escalation: 'overdue', seq: 3 }));
  await store.upsertTask(
    task('restricted', { due: '2027-06-30', escalation: 'restriction', region: '泥沟镇', seq: 3 }),
  );
  expect(await env.run(sendDigest, { day: '2027-03-01' })).toEqual({ items: 2, sent: true });
  expect(await env.run(sendDigest, { day: '2027-03-01' })).toEqual({ items: 2, sent: true });
  await smtp.waitFor((ms) => ms.length >= 1);
  await new Promise((r) => setTimeout(r, 200));

  expect(smtp.messages).toHaveLength(1);
  const [mail] = smtp.messages;
  expect(mail.subject).toBe('【督办】每日督办摘要（2027-03-01）：逾期及升级任务 2 项');
  expect(mail.text).toContain('digest/late  任务late  牵头：区环保局  期限：2027-02-15  催办');
  expect(mail.text).toContain('digest/restricted/泥沟镇  任务restricted');
  expect(mail.text).not.toContain('on-time');
  const to = (mail.to as { value: { address: string }[] }).value.map((v) => v.address).sort();
  expect(to).toEqual([...directory.leadership, ...directory.supervisors].map((p) => p.email).sort());
});
