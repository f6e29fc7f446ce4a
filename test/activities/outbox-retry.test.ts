/**
 * The notification guarantee (issue 4, item 10): the outbox row is written before sending, the
 * Message-ID comes from (workflow id, notification key), and a retry reuses it. When an attempt fails
 * *after* the SMTP server accepted the mail (here: recording it as sent fails), the retry sends it again:
 * delivery is at least once, every copy with the one Message-ID (so a mail client shows it once), and the
 * outbox holds one row for the notice.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { AddressObject } from 'mailparser';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActivities, noticeMessageId, type ActivityDeps } from '../../activities';
import { loadDirectory } from '../../directory/directory';
import { createMailer } from '../../activities/mailer';
import { SHIPPED_DIRECTORY } from '../../config/config';
import { assign, evolve, noticesFor, taskWorkflowId, type TaskSpec } from '../../domain';
import { openStore, type Store } from '../../store';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

let tmp: string;
let smtp: SmtpCapture;
let store: Store;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-outbox-retry-'));
  smtp = await startSmtpCapture();
  store = await openStore(path.join(tmp, 'duban.db'));
});
afterAll(async () => {
  await smtp?.close();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const noop = () => undefined;
const logger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

test('a send that fails after the SMTP server accepted the mail is retried with the same Message-ID: at least once, one outbox row', async () => {
  const spec: TaskSpec = {
    plan: 'tez2016',
    id: '2-1-9',
    title: '加快城镇污水处理设施建设',
    text: '',
    lead: ['区环保局'],
    cooperating: ['区住建局'],
    due: '2026-12-31',
  };
  const workflowId = taskWorkflowId(spec);
  const [event] = assign(spec, '2026-03-01T01:00:00.000Z');
  const state = evolve(undefined, event);
  const [notice] = noticesFor(event, state);
  const messageId = noticeMessageId(workflowId, notice.key);

  // The real store, except that recording the first send fails: the mail is out, the outbox not told.
  let markSentCalls = 0;
  const flakyStore: ActivityDeps['store'] = {
    appendEvents: (...a) => store.appendEvents(...a),
    upsertTask: (...a) => store.upsertTask(...a),
    issueDocument: (...a) => store.issueDocument(...a),
    claimNotice: (...a) => store.claimNotice(...a),
    markUndeliverable: (...a) => store.markUndeliverable(...a),
    leaseNotice: (...a) => store.leaseNotice(...a),
    releaseNotice: (...a) => store.releaseNotice(...a),
    markSent: async (...a) => {
      markSentCalls += 1;
      if (markSentCalls === 1) throw new Error('database is locked');
      return store.markSent(...a);
    },
  };
  const acts = createActivities({
    store: flakyStore,
    directory: loadDirectory(SHIPPED_DIRECTORY),
    mailer: createMailer({ smtpUrl: smtp.url, from: '督查室 <duban@test.example>', dir: tmp }),
  });
  const attempt = () =>
    new MockActivityEnvironment(undefined, { logger }).run(acts.sendNotice, { workflowId, notice, state });
  const delivered = () => smtp.messages.filter((m) => m.messageId === messageId);

  // The first attempt: the SMTP server takes the mail, then the attempt fails.
  await expect(attempt()).rejects.toThrow('database is locked');
  await smtp.waitFor(() => delivered().length === 1);
  expect(await store.listOutbox(workflowId)).toEqual([
    expect.objectContaining({ key: notice.key, messageId, status: 'pending' }),
  ]);

  // The retry (what Temporal does with the failed activity): the same mail again, with the same Message-ID.
  const result = await attempt();
  expect(result).toEqual({
    messageId,
    recipients: ['huanbao@taierzhuang.gov.cn.example', 'zhujian@taierzhuang.gov.cn.example'],
    status: 'sent',
  });
  await smtp.waitFor(() => delivered().length === 2);
  const [one, two] = delivered();
  expect(two.messageId).toBe(one.messageId);
  expect(two.subject).toBe(one.subject);
  expect(one.subject).toBe('【督办】任务交办：加快城镇污水处理设施建设（tez2016/2-1-9）');
  const to = (m: typeof one) => (m.to as AddressObject).value.map((v) => v.address).sort();
  expect(to(two)).toEqual(to(one));

  // One outbox row for the notice, now sent; a further attempt sends nothing.
  const rows = await store.listOutbox(workflowId);
  expect(rows).toEqual([expect.objectContaining({ key: notice.key, messageId, status: 'sent' })]);
  // A send resolves only once the server has the mail, so a sent one would be here already.
  expect(await attempt()).toEqual(result);
  expect(delivered()).toHaveLength(2);
  expect(markSentCalls).toBe(2);
});

test('two workers racing on one notice: one sends, the other finds it leased and, retried, sends nothing', async () => {
  const spec: TaskSpec = {
    plan: 'tez2016',
    id: '2-1-10',
    title: '加快城镇污水处理设施建设',
    text: '',
    lead: ['区环保局'],
    cooperating: [],
    due: '2026-12-31',
  };
  const workflowId = taskWorkflowId(spec);
  const [event] = assign(spec, '2026-03-01T01:00:00.000Z');
  const state = evolve(undefined, event);
  const [notice] = noticesFor(event, state);
  const messageId = noticeMessageId(workflowId, notice.key);
  const real = createMailer({ smtpUrl: smtp.url, from: '督查室 <duban@test.example>', dir: tmp });
  // The first worker holds its lease while its SMTP conversation waits, until the second has tried.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let sending!: () => void;
  const leased = new Promise<void>((r) => (sending = r));
  const slow = {
    send: async (m: Parameters<typeof real.send>[0]) => {
      sending();
      await held;
      return real.send(m);
    },
  };
  const worker = (mailer: Pick<typeof real, 'send'>) =>
    createActivities({ store, directory: loadDirectory(SHIPPED_DIRECTORY), mailer });
  const attempt = (mailer: Pick<typeof real, 'send'>) =>
    new MockActivityEnvironment(undefined, { logger }).run(worker(mailer).sendNotice, {
      workflowId,
      notice,
      state,
    });

  const first = attempt(slow);
  await leased;
  await expect(attempt(real)).rejects.toMatchObject({ type: 'NoticeLeased' });
  release();
  await expect(first).resolves.toMatchObject({ messageId, status: 'sent' });
  await expect(attempt(real)).resolves.toMatchObject({ messageId, status: 'sent' });
  await smtp.waitFor((all) => all.some((m) => m.messageId === messageId));
  expect(smtp.messages.filter((m) => m.messageId === messageId)).toHaveLength(1);
});
