import type { LogLevel, LogMetadata } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActivities, noticeMessageId } from '../../activities';
import { loadDirectory } from '../../directory/directory';
import { createMailer, type Mailer } from '../../activities/mailer';
import {
  assign,
  evolve,
  noticesFor,
  taskWorkflowId,
  type Notice,
  type TaskEvent,
  type TaskSpec,
} from '../../domain';
import { openStore, type Store } from '../../store';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

const directory = loadDirectory(path.join(__dirname, '..', '..', 'directory', 'taierzhuang.yaml'));
const FROM = '督查室 <duban@test.example>';

let tmp: string;
let smtp: SmtpCapture;
let store: Store;
let warnings: { message: string; meta?: LogMetadata }[];
let env: MockActivityEnvironment;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-notice-'));
  smtp = await startSmtpCapture();
  store = await openStore(path.join(tmp, 'duban.db'));
});
afterAll(async () => {
  await smtp?.close();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  warnings = [];
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    if (level === 'WARN') warnings.push({ message, meta });
  };
  const logger = {
    log,
    trace: (m: string, meta?: LogMetadata) => log('TRACE', m, meta),
    debug: (m: string, meta?: LogMetadata) => log('DEBUG', m, meta),
    info: (m: string, meta?: LogMetadata) => log('INFO', m, meta),
    warn: (m: string, meta?: LogMetadata) => log('WARN', m, meta),
    error: (m: string, meta?: LogMetadata) => log('ERROR', m, meta),
  };
  env = new MockActivityEnvironment(undefined, { logger });
});

/** Runs an activity in a mock activity context (so `log` works), keeping its result type. */
const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  env.run(fn, ...args) as Promise<R>;

let counter = 0;
function task(over: Partial<TaskSpec> = {}) {
  const spec: TaskSpec = {
    plan: 'tez2016',
    id: `2-1-${++counter}`,
    title: '加强工业污染防治',
    text: '',
    lead: ['区环保局'],
    cooperating: ['区发改局', '区经信局'],
    due: '2026-12-31',
    ...over,
  };
  const [event] = assign(spec, '2026-03-01T01:00:00.000Z');
  const state = evolve(undefined, event);
  return { spec, workflowId: taskWorkflowId(spec), event, state, notice: noticesFor(event, state)[0] };
}

const addresses = (m: ParsedMail) => (m.to as AddressObject).value.map((v) => v.address).sort();
const mailsFor = (messageId: string) => smtp.messages.filter((m) => m.messageId === messageId);

test('recordEvents appends to the ledger and updates the projection, once', async () => {
  const { workflowId, event, state } = task();
  const acts = createActivities({
    store,
    directory,
    mailer: createMailer({ smtpUrl: smtp.url, from: FROM, dir: tmp }),
  });
  await run(acts.recordEvents, { workflowId, events: [event], state });
  await run(acts.recordEvents, { workflowId, events: [event], state });
  const ack: TaskEvent = { type: 'Acknowledged', by: '区环保局', seq: 2, at: '2026-03-02T01:00:00.000Z' };
  await run(acts.recordEvents, { workflowId, events: [ack], state: evolve(state, ack) });
  expect((await store.ledgerFor(workflowId)).map((e) => e.type)).toEqual(['TaskAssigned', 'Acknowledged']);
  expect(await store.getTask(workflowId)).toMatchObject({
    status: 'acknowledged',
    seq: 2,
    acknowledged: ['区环保局'],
  });
  expect(await store.verifyLedger()).toMatchObject({ ok: true });
});

test('sendNotice mails the departments over SMTP once, with a Message-ID derived from the notice', async () => {
  const { workflowId, notice, state, spec } = task();
  const acts = createActivities({
    store,
    directory,
    mailer: createMailer({ smtpUrl: smtp.url, from: FROM, dir: tmp }),
  });
  const messageId = noticeMessageId(workflowId, '1-TaskAssigned');
  expect(messageId).toMatch(/^<[0-9a-f]{32}@duban>$/);
  expect(noticeMessageId(workflowId, '1-TaskAssigned')).toBe(messageId);
  expect(noticeMessageId(workflowId, '2-TaskAssigned')).not.toBe(messageId);

  const recipients = [
    'huanbao@taierzhuang.gov.cn.example',
    'fagai@taierzhuang.gov.cn.example',
    'jingxin@taierzhuang.gov.cn.example',
  ];
  const first = await run(acts.sendNotice, { workflowId, notice, state });
  expect(first).toEqual({ messageId, recipients, status: 'sent' });
  const second = await run(acts.sendNotice, { workflowId, notice, state });
  expect(second).toEqual(first);

  const mails = mailsFor(messageId);
  expect(mails).toHaveLength(1);
  const [mail] = mails;
  expect(mail.subject).toBe(`【督办】任务交办：加强工业污染防治（tez2016/${spec.id}）`);
  expect(addresses(mail)).toEqual([...recipients].sort());
  expect((mail.to as AddressObject).value.find((v) => v.address === recipients[0])?.name).toBe('区环保局');
  expect(mail.from?.value).toEqual([{ name: '督查室', address: 'duban@test.example' }]);
  expect(mail.text).toContain('完成时限：2026-12-31');
  expect(mail.html).toContain('加强工业污染防治');
  expect(await store.listOutbox(workflowId)).toEqual([
    expect.objectContaining({ key: '1-TaskAssigned', messageId, status: 'sent', recipients }),
  ]);
  expect(warnings).toEqual([]);
});

test('a retry after a failed send reuses the Message-ID; a department may be named by its alias', async () => {
  const { workflowId, state, event } = task();
  const notice: Notice = {
    key: '9-WarningIssued',
    event: { ...event },
    to: [{ department: '区环境保护局' }],
  };
  const real = createMailer({ smtpUrl: smtp.url, from: FROM, dir: tmp });
  let calls = 0;
  const flaky: Pick<Mailer, 'send'> = {
    send: async (m) => {
      calls += 1;
      if (calls === 1) throw new Error('connection reset');
      return real.send(m);
    },
  };
  const acts = createActivities({ store, directory, mailer: flaky });
  await expect(run(acts.sendNotice, { workflowId, notice, state })).rejects.toThrow('connection reset');
  expect(await store.listOutbox(workflowId)).toEqual([expect.objectContaining({ status: 'pending' })]);

  const result = await run(acts.sendNotice, { workflowId, notice, state });
  expect(result).toEqual({
    messageId: noticeMessageId(workflowId, '9-WarningIssued'),
    recipients: ['huanbao@taierzhuang.gov.cn.example'],
    status: 'sent',
  });
  expect(mailsFor(result.messageId).map(addresses)).toEqual([['huanbao@taierzhuang.gov.cn.example']]);
  await run(acts.sendNotice, { workflowId, notice, state });
  expect(calls).toBe(2);
});

test('no address: undeliverable, recorded, warned about, and nothing thrown', async () => {
  const { workflowId, state, event } = task({ lead: ['区不存在局'], cooperating: [] });
  const notice: Notice = { key: '1-TaskAssigned', event, to: [{ department: '区不存在局' }] };
  const acts = createActivities({
    store,
    directory,
    mailer: createMailer({ smtpUrl: smtp.url, from: FROM, dir: tmp }),
  });
  const before = smtp.messages.length;
  const result = await run(acts.sendNotice, { workflowId, notice, state });
  expect(result).toEqual({
    messageId: noticeMessageId(workflowId, '1-TaskAssigned'),
    recipients: [],
    status: 'undeliverable',
  });
  expect(smtp.messages.length).toBe(before);
  expect(await store.listOutbox(workflowId)).toEqual([
    expect.objectContaining({ status: 'undeliverable', error: expect.stringContaining('区不存在局') }),
  ]);
  expect(warnings.map((w) => w.message)).toEqual(['no address in the directory', 'notice undeliverable']);
  expect(warnings[0].meta).toMatchObject({ workflowId, departments: ['区不存在局'] });
});

test('without SMTP, one .eml file per notice, however often it is sent', async () => {
  const dir = path.join(tmp, 'mail');
  const { workflowId, notice, state, spec } = task({ title: '全面控制污染物排放' });
  const acts = createActivities({ store, directory, mailer: createMailer({ from: FROM, dir }) });
  const result = await run(acts.sendNotice, { workflowId, notice, state });
  await run(acts.sendNotice, { workflowId, notice, state });

  const hex = result.messageId.slice(1, 33);
  expect(fs.readdirSync(dir)).toEqual([`${hex}@duban.eml`]);
  // The mailer alone also overwrites rather than duplicates.
  const mailer = createMailer({ from: FROM, dir });
  await mailer.send({
    messageId: result.messageId,
    to: [{ name: '区环保局', email: 'huanbao@taierzhuang.gov.cn.example' }],
    subject: 's',
    text: 't',
    html: '<p>t</p>',
  });
  expect(fs.readdirSync(dir)).toEqual([`${hex}@duban.eml`]);

  await run(acts.sendNotice, { workflowId: `${workflowId}-eml`, notice, state });
  expect(fs.readdirSync(dir)).toHaveLength(2);
  const raw = fs.readFileSync(
    path.join(
      dir,
      fs.readdirSync(dir).find((f) => f !== `${hex}@duban.eml`)!,
    ),
  );
  expect(raw.includes('\r\n')).toBe(true);
  const parsed = await simpleParser(raw);
  expect(parsed.messageId).toBe(noticeMessageId(`${workflowId}-eml`, notice.key));
  expect(parsed.subject).toBe(`【督办】任务交办：全面控制污染物排放（tez2016/${spec.id}）`);
  expect(addresses(parsed)).toEqual([
    'fagai@taierzhuang.gov.cn.example',
    'huanbao@taierzhuang.gov.cn.example',
    'jingxin@taierzhuang.gov.cn.example',
  ]);
});
