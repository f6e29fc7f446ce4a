import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Recipient } from '../directory/directory';
import { oneLine } from './mail-templates';

export interface OutgoingMail {
  /** `<…@…>`; the same notice always carries the same one, so a resend is recognisable. */
  messageId: string;
  to: Recipient[];
  subject: string;
  text: string;
  html: string;
  /** Files the mail carries (a 督查通报 as .docx or .pdf). */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MailerOptions {
  /** smtp://… or smtps://…; unset: mail is written as .eml files under `dir`. */
  smtpUrl?: string;
  from: string;
  dir: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string; file?: string }>;
  close(): void;
}

/** `<3f…@duban>` -> `3f…@duban.eml`: one file per Message-ID, so a retry overwrites its own file. */
export function emlFileName(messageId: string): string {
  const base = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9@._-]/g, '_');
  if (!base || base.startsWith('.')) throw new Error(`unusable Message-ID for a file name: ${messageId}`);
  return `${base}.eml`;
}

/**
 * `smtpUrl` with `pool=true` unless it says otherwise: one pool of connections (nodemailer's default of 5,
 * `maxConnections=` in the URL to change it) carries every mail, instead of a new connection and SMTP
 * handshake per mail — a burst of rungs at one instant queues on the pool rather than on the SMTP server.
 */
export function pooledSmtpUrl(smtpUrl: string): string {
  const u = new URL(smtpUrl);
  if (!u.searchParams.has('pool')) u.searchParams.set('pool', 'true');
  return u.toString();
}

/** A pool idle this long is closed (so a process with nothing to send can exit); the next mail opens one. */
const POOL_IDLE_MS = 5_000;

export function createMailer({ smtpUrl, from, dir }: MailerOptions): Mailer {
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  let pool: ReturnType<typeof nodemailer.createTransport> | undefined;
  let sending = 0;
  let idle: NodeJS.Timeout | undefined;
  const closePool = () => {
    clearTimeout(idle);
    pool?.close();
    pool = undefined;
  };
  /** Sends over the pool, opening it if need be; closes it once nothing has been sent for a while. */
  const overSmtp = async (url: string, mail: nodemailer.SendMailOptions) => {
    clearTimeout(idle);
    sending += 1;
    try {
      pool ??= nodemailer.createTransport(pooledSmtpUrl(url));
      return (await pool.sendMail(mail)) as { messageId: string };
    } finally {
      sending -= 1;
      if (sending === 0) idle = setTimeout(closePool, POOL_IDLE_MS).unref();
    }
  };

  const message = (m: OutgoingMail) => ({
    from,
    to: m.to.map((r) => ({ name: oneLine(r.name), address: r.email })),
    subject: oneLine(m.subject),
    text: m.text,
    html: m.html,
    messageId: m.messageId,
    ...(m.attachments?.length ? { attachments: m.attachments } : {}),
  });

  return {
    async send(m) {
      if (m.to.length === 0) throw new Error(`no recipients for ${m.messageId}`);
      if (smtpUrl) return { messageId: (await overSmtp(smtpUrl, message(m))).messageId };
      const info: { messageId: string; message?: unknown } = await files.sendMail(message(m));
      if (!Buffer.isBuffer(info.message)) throw new Error('the stream transport did not return the message');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, emlFileName(m.messageId));
      // Written whole or not at all: a crash mid-write must not leave half a message behind.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, info.message);
      fs.renameSync(tmp, file);
      return { messageId: info.messageId, file };
    },
    close: () => {
      closePool();
      files.close();
    },
  };
}
