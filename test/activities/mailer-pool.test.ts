/**
 * Every mail of a worker goes over one pool of SMTP connections: a burst of notices at one instant opens
 * a handful of connections, not one per mail, and every mail of the burst arrives.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMailer, pooledSmtpUrl, type Mailer } from '../../activities/mailer';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

let smtp: SmtpCapture;
let mailer: Mailer | undefined;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-pool-'));
  smtp = await startSmtpCapture();
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const mail = (i: number) => ({
  messageId: `<pool-${i}@duban>`,
  to: [{ name: '区环保局', email: 'huanbao@example.test' }],
  subject: `催办 ${i}`,
  text: `第 ${i} 件`,
  html: `<p>第 ${i} 件</p>`,
});

test('thirty mails sent at once arrive over at most five connections', async () => {
  mailer = createMailer({ smtpUrl: smtp.url, from: '督查室 <duban@test.example>', dir: tmp });
  const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => mailer!.send(mail(i))));
  expect(sent.map((s) => s.messageId)).toEqual(Array.from({ length: 30 }, (_, i) => `<pool-${i}@duban>`));
  await smtp.waitFor((ms) => ms.length === 30);
  expect(new Set(smtp.messages.map((m) => m.subject)).size).toBe(30);
  expect(smtp.connections()).toBeGreaterThan(0);
  expect(smtp.connections()).toBeLessThanOrEqual(5);
});

test('without the pool (pool=false in the URL) the same burst opens a connection per mail', async () => {
  const before = smtp.connections();
  const unpooled = createMailer({
    smtpUrl: `${smtp.url}/?pool=false`,
    from: '督查室 <duban@test.example>',
    dir: tmp,
  });
  try {
    await Promise.all(Array.from({ length: 30 }, (_, i) => unpooled.send(mail(100 + i))));
  } finally {
    unpooled.close();
  }
  expect(smtp.connections() - before).toBe(30);
});

test('a URL that says pool=false or sets the pool size keeps its choice', () => {
  expect(new URL(pooledSmtpUrl('smtp://127.0.0.1:2525')).searchParams.get('pool')).toBe('true');
  expect(new URL(pooledSmtpUrl('smtp://h:25/?pool=false')).searchParams.get('pool')).toBe('false');
  const sized = new URL(pooledSmtpUrl('smtps://u:p@h:465/?maxConnections=10'));
  expect([sized.searchParams.get('pool'), sized.searchParams.get('maxConnections')]).toEqual(['true', '10']);
});
