import { log } from '@temporalio/activity';
import { summarize, type Notice, type TaskEvent, type TaskState } from '../domain';
import type { Store } from '../store';
import { resolveAudience, unknownDepartments, type Directory } from '../directory/directory';
import type { Mailer } from './mailer';
import { deliverOnce, type NoticeResult, type OutboxStore } from './deliver';
import { renderNotice } from './mail-templates';
import type { WebhookNotifier } from './notifier';

export interface ActivityDeps {
  store: Pick<Store, 'appendEvents' | 'upsertTask'> & OutboxStore;
  mailer: Pick<Mailer, 'send'>;
  /** The group-robot channel (企业微信, 钉钉); default: posts over HTTP. */
  webhooks?: WebhookNotifier;
  directory: Directory;
}

export { noticeMessageId, type NoticeResult } from './deliver';

export function createActivities({ store, mailer, webhooks, directory }: ActivityDeps) {
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
      const missing = unknownDepartments(directory, notice.to);
      if (missing.length > 0)
        log.warn('no address in the directory', { workflowId, key: notice.key, departments: missing });
      return deliverOnce(
        { store, mailer, webhooks },
        {
          workflowId,
          key: notice.key,
          to: resolveAudience(directory, notice.to),
          mail: renderNotice(notice, state),
          why: `no recipient resolves for ${JSON.stringify(notice.to)}`,
        },
      );
    },
  };
}

export type DubanActivities = ReturnType<typeof createActivities>;
