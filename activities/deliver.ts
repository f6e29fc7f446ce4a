import { log } from '@temporalio/activity';
import type { Store } from '../store';
import type { Recipient } from './directory';
import type { NoticeResult } from './index';
import { noticeMessageId } from './index';
import type { RenderedMail } from './mail-templates';
import type { Mailer } from './mailer';

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
  { workflowId, key, to, mail }: { workflowId: string; key: string; to: Recipient[]; mail: RenderedMail },
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
    const why = 'no recipient in the directory';
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
