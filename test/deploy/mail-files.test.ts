/**
 * The cluster's mail server (`npm run cluster`, the cluster test) as a sender killed in the middle of a
 * message leaves it: the connection reset is noted, nothing half-received is written, and the next
 * message is written as usual.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { startMailFiles, type MailFiles } from '../../cluster/mail-files';
import { waitUntil } from '../../bench/harness';

let dir: string;
let mail: MailFiles;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-mail-files-'));
  mail = await startMailFiles(dir);
});

afterEach(async () => {
  await mail.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Speaks SMTP up to the start of a message's data, then resets the connection (as a killed process would). */
async function resetMidMessage(port: number): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  let heard = '';
  socket.on('data', (d: Buffer) => (heard += d.toString()));
  const reply = (code: string) => waitUntil(`the server's ${code}`, () => heard.includes(code), 10_000);
  await reply('220');
  for (const [line, code] of [
    ['EHLO worker', '250'],
    ['MAIL FROM:<duban@example.org>', '250 Accepted'],
    ['RCPT TO:<lead@example.org>', '250 Accepted'],
    ['DATA', '354'],
  ]) {
    heard = '';
    socket.write(`${line}\r\n`);
    await reply(code);
  }
  socket.resetAndDestroy();
}

test('a sender reset in the middle of a message: noted, nothing written, the next one written', async () => {
  const port = Number(new URL(mail.url).port);
  await resetMidMessage(port);
  await waitUntil('the reset to be noted', () => mail.dropped.length > 0, 10_000);
  expect(mail.dropped[0]).toMatch(/ECONNRESET/);
  expect(fs.readdirSync(dir)).toEqual([]);

  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  await transport.sendMail({
    from: 'duban@example.org',
    to: 'lead@example.org',
    subject: '催办',
    messageId: '<whole@example.org>',
    text: '请尽快签收',
  });
  transport.close();
  expect(mail.count()).toBe(1);
  expect(fs.readdirSync(dir)).toEqual(['000001-_whole@example.org_.eml']);
});
