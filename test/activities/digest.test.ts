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
  // Each run resolves only once the server has its mail: the second, had it sent one, would be here too.
  await smtp.waitFor((ms) => ms.length >= 1);

  expect(smtp.messages).toHaveLength(1);
  const [mail] = smtp.messages;
  expect(mail.subject).toBe('【督办】每日督办摘要（2027-03-01）：逾期及升级任务 2 项');
  expect(mail.text).toContain('digest/late  任务late  牵头：区环保局  期限：2027-02-15  催办');
  expect(mail.text).toContain('digest/restricted/泥沟镇  任务restricted');
  expect(mail.text).not.toContain('on-time');
  const to = (mail.to as { value: { address: string }[] }).value.map((v) => v.address).sort();
  expect(to).toEqual([...directory.leadership, ...directory.supervisors].map((p) => p.email).sort());
});

describe('the digest tells only what changed since the last one', () => {
  let own: Store;
  beforeAll(async () => {
    own = await openStore(path.join(tmp, 'changes.db'));
  });
  afterAll(() => own.close());

  const mailsTo = async (n: number) => {
    await smtp.waitFor((ms) => ms.length >= n);
    // A mail that should not go would arrive within this.
    await new Promise((r) => setTimeout(r, 200));
    return smtp.messages.slice();
  };

  it('is not sent when nothing changed, lists a new overdue task alone, and a closed one once', async () => {
    const env = new MockActivityEnvironment();
    const { sendDigest } = createDigestActivities({
      store: own,
      directory,
      mailer: createMailer({ smtpUrl: smtp.url, from: '督查室 <duban@test.example>', dir: tmp }),
    });
    const start = smtp.messages.length;
    const t = (id: string, over: Partial<TaskSummary>) =>
      task(id, { workflowId: `task/changes/${id}`, plan: 'changes', ...over });
    await own.upsertTask(t('a', { due: '2027-02-15', escalation: 'overdue', seq: 3 }));
    await own.upsertTask(t('b', { due: '2027-02-20', escalation: 'overdue', seq: 3 }));

    expect(await env.run(sendDigest, { day: '2027-03-01' })).toEqual({ items: 2, sent: true });
    const first = (await mailsTo(start + 1)).slice(start);
    expect(first).toHaveLength(1);
    expect(first[0].text).toContain('changes/a  任务a');
    expect(first[0].text).toContain('changes/b  任务b');

    // The next morning, nothing changed: no mail.
    expect(await env.run(sendDigest, { day: '2027-03-02' })).toEqual({ items: 0, sent: false });
    expect((await mailsTo(start + 1)).slice(start)).toHaveLength(1);

    // A new overdue task: only it is listed, and the mail says it is news since the last digest.
    await own.upsertTask(t('c', { due: '2027-02-28', escalation: 'overdue', seq: 3 }));
    expect(await env.run(sendDigest, { day: '2027-03-03' })).toEqual({ items: 1, sent: true });
    const third = (await mailsTo(start + 2)).slice(start + 1);
    expect(third).toHaveLength(1);
    expect(third[0].subject).toBe('【督办】每日督办摘要（2027-03-03）：逾期及升级任务 1 项');
    expect(third[0].text).toContain('自上次通报（2027-03-01）以来');
    expect(third[0].text).toContain('since the last digest');
    expect(third[0].text).toContain('changes/c  任务c');
    expect(third[0].text).not.toContain('changes/a');
    expect(third[0].text).not.toContain('changes/b');

    // a is completed and b goes up the ladder: a is listed as closed, b as escalated, c not at all.
    await own.upsertTask(t('a', { status: 'completed', due: '2027-02-15', escalation: 'overdue', seq: 4 }));
    await own.upsertTask(t('b', { due: '2027-02-20', escalation: 'interview', seq: 4 }));
    expect(await env.run(sendDigest, { day: '2027-03-04' })).toEqual({ items: 2, sent: true });
    // A retry of the same day's digest sends nothing more.
    expect(await env.run(sendDigest, { day: '2027-03-04' })).toEqual({ items: 2, sent: true });
    const fourth = (await mailsTo(start + 3)).slice(start + 2);
    expect(fourth).toHaveLength(1);
    expect(fourth[0].subject).toBe('【督办】每日督办摘要（2027-03-04）：逾期及升级任务 1 项，已办结 1 项');
    const text = fourth[0].text ?? '';
    const closed = text.slice(text.indexOf('已办结或撤销 / closed'));
    expect(closed).toContain('changes/a  任务a');
    expect(fourth[0].text).toContain(
      'changes/b  任务b  牵头：区环保局  期限：2027-02-20  约谈（原为 / was 催办）',
    );
    expect(fourth[0].text).not.toContain('changes/c');

    // The closed task is listed once: the next day, nothing changed.
    expect(await env.run(sendDigest, { day: '2027-03-05' })).toEqual({ items: 0, sent: false });
    expect((await mailsTo(start + 3)).slice(start)).toHaveLength(3);
  });
});
