import { log } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import { summarize, type Notice, type TaskEvent, type TaskState } from '../domain';
import type { Store } from '../store';
import { resolveAudience, unknownDepartments, type Directory } from './directory';
import type { Mailer } from './mailer';
import { renderNotice } from './mail-templates';

export interface ActivityDeps {
  store: Pick<Store, 'appendEvents' | 'upsertTask' | 'claimNotice' | 'markSent' | 'markUndeliverable'>;
  mailer: Pick<Mailer, 'send'>;
  directory: Directory;
}

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

export function createActivities({ store, mailer, directory }: ActivityDeps) {
  return {
    /** Ledger first, then the projection: a list never shows what the ledger does not hold. */
    async recordEvents({
      workflowId,
      events,
      state,
    }: {
      workflowId: string;
      events: TaskEvent[];
      state: TaskState;
    }): Promise<void> {
      await store.appendEvents(workflowId, events);
      await store.upsertTask(summarize(workflowId, state));
    },

    async sendNotice({
      workflowId,
      notice,
      state,
    }: {
      workflowId: string;
      notice: Notice;
      state: TaskState;
    }): Promise<NoticeResult> {
      const mail = renderNotice(notice, state);
      const resolved = resolveAudience(directory, notice.to);
      const row = await store.claimNotice({
        workflowId,
        key: notice.key,
        messageId: noticeMessageId(workflowId, notice.key),
        recipients: resolved.map((r) => r.email),
        subject: mail.subject,
      });
      const result = (status: NoticeResult['status']): NoticeResult => ({
        messageId: row.messageId,
        recipients: row.recipients,
        status,
      });
      // An earlier attempt got this far: never a second copy.
      if (row.status === 'sent' || row.status === 'undeliverable') return result(row.status);

      const missing = unknownDepartments(directory, notice.to);
      if (missing.length > 0)
        log.warn('no address in the directory', { workflowId, key: notice.key, departments: missing });
      if (row.recipients.length === 0) {
        // A missing address must not hold up the task: record it and let the workflow go on.
        const why = `no recipient resolves for ${JSON.stringify(notice.to)}`;
        await store.markUndeliverable(workflowId, notice.key, why);
        log.warn('notice undeliverable', { workflowId, key: notice.key, why });
        return result('undeliverable');
      }

      // The recipients are the ones claimed first, so a retry reaches the same people.
      const names = new Map(resolved.map((r) => [r.email.toLowerCase(), r.name]));
      const to = row.recipients.map((email) => ({ name: names.get(email.toLowerCase()) ?? '', email }));
      await mailer.send({
        messageId: row.messageId,
        to,
        subject: row.subject,
        text: mail.text,
        html: mail.html,
      });
      await store.markSent(workflowId, notice.key, new Date().toISOString());
      return result('sent');
    },
  };
}

export type DubanActivities = ReturnType<typeof createActivities>;
