import { log } from '@temporalio/activity';
import type { Store } from '../store';
import type { Recipient } from '../directory/directory';
import { createHash } from 'node:crypto';
import type { RenderedMail } from './mail-templates';
import type { Mailer } from './mailer';

export interface NoticeResult {
  messageId: string;
  recipients: string[];
  status: 'sent' | 'undeliverable';
}

/** The Message-ID of a notice: a function of its outbox key alone, so every attempt carries the same one. */
export function noticeMessageId(workflowId: string, key: string): string {
  const digest = createHash('sha256').update(`${workflowId}\n${key}`, 'utf8').digest('hex');
  return `<${digest.slice(0, 32)}@duban>`;
}

export interface DeliveryDeps {
  store: Pick<Store, 'claimNotice' | 'markSent' | 'markUndeliverable'>;
  mailer: Pick<Mailer, 'send'>;
}

/**
 * Sends a mail at most once per (workflow id, key): the outbox row is claimed first, the Message-ID comes
 * from the key, and an attempt that finds the row sent (or given up) sends nothing. A retry reaches the
 * recipients the first attempt claimed, even if the directory changed in between.
 */
export async function deliverOnce(
  { store, mailer }: DeliveryDeps,
  {
    workflowId,
    key,
    to,
    mail,
    why = 'no recipient in the directory',
  }: { workflowId: string; key: string; to: Recipient[]; mail: RenderedMail; why?: string },
): Promise<NoticeResult> {
  const row = await store.claimNotice({
    workflowId,
    key,
    messageId: noticeMessageId(workflowId, key),
    recipients: to.map((r) => r.email),
    subject: mail.subject,
  });
  const result = (status: NoticeResult['status']): NoticeResult => ({
    messageId: row.messageId,
    recipients: row.recipients,
    status,
  });
  if (row.status === 'sent' || row.status === 'undeliverable') return result(row.status);
  if (row.recipients.length === 0) {
    // Nobody to write to must not hold up the workflow: record it and go on.
    await store.markUndeliverable(workflowId, key, why);
    log.warn('notice undeliverable', { workflowId, key, why });
    return result('undeliverable');
  }
  const names = new Map(to.map((r) => [r.email.toLowerCase(), r.name]));
  await mailer.send({
    messageId: row.messageId,
    to: row.recipients.map((email) => ({ name: names.get(email.toLowerCase()) ?? '', email })),
    subject: row.subject,
    text: mail.text,
    html: mail.html,
  });
  await store.markSent(workflowId, key, new Date().toISOString());
  return result('sent');
}
