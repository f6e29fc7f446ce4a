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

export function createMailer({ smtpUrl, from, dir }: MailerOptions): Mailer {
  const transport = smtpUrl
    ? nodemailer.createTransport(smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

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
      const info: { messageId: string; message?: unknown } = await transport.sendMail(message(m));
      if (smtpUrl) return { messageId: info.messageId };
      if (!Buffer.isBuffer(info.message)) throw new Error('the stream transport did not return the message');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, emlFileName(m.messageId));
      // Written whole or not at all: a crash mid-write must not leave half a message behind.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, info.message);
      fs.renameSync(tmp, file);
      return { messageId: info.messageId, file };
    },
    close: () => transport.close(),
  };
}
