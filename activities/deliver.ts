import { ApplicationFailure, log } from '@temporalio/activity';
import type { Store } from '../store';
import type { Recipient } from '../directory/directory';
import { createHash, randomUUID } from 'node:crypto';
import type { RenderedMail } from './mail-templates';
import type { MailAttachment, Mailer } from './mailer';
import type { WebhookChannel } from '../directory/directory';
import { createWebhookNotifier, webhookTarget, type WebhookNotifier } from './notifier';

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

/** What sending a notice once needs of the store. */
export type OutboxStore = Pick<
  Store,
  'claimNotice' | 'markSent' | 'markUndeliverable' | 'leaseNotice' | 'releaseNotice'
>;

export interface DeliveryDeps {
  store: OutboxStore;
  mailer: Pick<Mailer, 'send'>;
  /** The group-robot channel; default: posts over HTTP. */
  webhooks?: WebhookNotifier;
}

const defaultWebhooks = createWebhookNotifier();

/** How long one attempt holds a pending notice; shorter than the mail activity's 2-minute timeout. */
export const NOTICE_LEASE_MS = 90_000;

/** Whom to mail (no `channels`, or `mail` among them) and which robots to post to, each robot once. */
export function channelsOf(to: Recipient[]): { mail: Recipient[]; webhooks: WebhookChannel[] } {
  const mail = to.filter((r) => !r.channels || r.channels.some((c) => c.type === 'mail'));
  const webhooks = new Map<string, WebhookChannel>();
  for (const r of to)
    for (const c of r.channels ?? [])
      if (c.type !== 'mail' && !webhooks.has(`${c.type} ${c.url}`)) webhooks.set(`${c.type} ${c.url}`, c);
  return { mail, webhooks: [...webhooks.values()] };
}

/**
 * Sends a notice at most once per (workflow id, key): the outbox row is claimed first, the Message-ID comes
 * from the key, and an attempt that finds the row sent (or given up) sends nothing. A retry mails the
 * recipients the first attempt claimed, even if the directory changed in between. Each group robot a
 * recipient prefers has its own row (the notice's key and the robot), posted before the mail, so a retry
 * after one robot failed posts to it alone and the mail goes once. Several workers may race on one notice:
 * the attempt that leases the pending row sends; another finds it leased and retries later, when it is sent.
 */
export async function deliverOnce(
  { store, mailer, webhooks = defaultWebhooks }: DeliveryDeps,
  {
    workflowId,
    key,
    to,
    mail,
    why = 'no recipient in the directory',
    attachments,
  }: {
    workflowId: string;
    key: string;
    to: Recipient[];
    mail: RenderedMail;
    why?: string;
    /** Go with the mail only; group robots get the text. */
    attachments?: MailAttachment[];
  },
): Promise<NoticeResult> {
  const channels = channelsOf(to);
  const row = await store.claimNotice({
    workflowId,
    key,
    messageId: noticeMessageId(workflowId, key),
    recipients: channels.mail.map((r) => r.email),
    subject: mail.subject,
  });
  const result = (status: NoticeResult['status']): NoticeResult => ({
    messageId: row.messageId,
    recipients: row.recipients,
    status,
  });
  if (row.status === 'sent' || row.status === 'undeliverable') return result(row.status);
  if (row.recipients.length === 0 && channels.webhooks.length === 0) {
    // Nobody to write to must not hold up the workflow: record it and go on.
    await store.markUndeliverable(workflowId, key, why);
    log.warn('notice undeliverable', { workflowId, key, why });
    return result('undeliverable');
  }
  const holder = randomUUID();
  if (!(await store.leaseNotice(workflowId, key, holder, NOTICE_LEASE_MS)))
    throw ApplicationFailure.retryable(
      `notice ${key} of ${workflowId} is being sent by another attempt`,
      'NoticeLeased',
    );
  let sent = false;
  try {
    await send();
    sent = true;
  } finally {
    if (!sent) await store.releaseNotice(workflowId, key, holder).catch(() => undefined);
  }
  return result('sent');

  async function send() {
    for (const robot of channels.webhooks) {
      const robotKey = `${key}#${webhookTarget(robot)}`;
      const claimed = await store.claimNotice({
        workflowId,
        key: robotKey,
        messageId: noticeMessageId(workflowId, robotKey),
        recipients: [webhookTarget(robot)],
        subject: row.subject,
      });
      if (claimed.status === 'sent') continue;
      await webhooks.post(robot, { messageId: row.messageId, subject: row.subject, text: mail.text });
      await store.markSent(workflowId, robotKey, new Date().toISOString());
    }
    const names = new Map(to.map((r) => [r.email.toLowerCase(), r.name]));
    if (row.recipients.length > 0)
      await mailer.send({
        messageId: row.messageId,
        to: row.recipients.map((email) => ({ name: names.get(email.toLowerCase()) ?? '', email })),
        subject: row.subject,
        text: mail.text,
        html: mail.html,
        ...(attachments ? { attachments } : {}),
      });
    await store.markSent(workflowId, key, new Date().toISOString());
  }
}
