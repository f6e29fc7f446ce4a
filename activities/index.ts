import { log } from '@temporalio/activity';
import { summarize, type Notice, type TaskEvent, type TaskState } from '../domain';
import type { Store } from '../store';
import { DEFAULT_DOCUMENT_PREFIX } from '../config/config';
import { documentNumber, documentYear, orderKindOf, supervisionOrderPdf } from '../office/supervision-order';
import { resolveAudience, unknownDepartments, type Directory } from '../directory/directory';
import type { Mailer } from './mailer';
import { deliverOnce, type NoticeResult, type OutboxStore } from './deliver';
import { renderNotice } from './mail-templates';
import type { WebhookNotifier } from './notifier';

export interface ActivityDeps {
  store: Pick<Store, 'appendEvents' | 'upsertTask' | 'issueDocument'> & OutboxStore;
  mailer: Pick<Mailer, 'send'>;
  /** The group-robot channel (企业微信, 钉钉); default: posts over HTTP. */
  webhooks?: WebhookNotifier;
  directory: Directory;
  /** The series of the numbered 督办单 / 催办单 (台督字 → 台督字〔2027〕12号). */
  documentPrefix?: string;
}

export { noticeMessageId, type NoticeResult } from './deliver';

export function createActivities({
  store,
  mailer,
  webhooks,
  directory,
  documentPrefix = DEFAULT_DOCUMENT_PREFIX,
}: ActivityDeps) {
  /**
   * The numbered document a notice carries (a 批示's 督办单, the overdue 催办单), if any: numbered once per
   * (task, notice) in the store, so a retried send attaches the same 文号.
   */
  const orderFor = async (workflowId: string, notice: Notice, state: TaskState) => {
    const kind = orderKindOf(notice.event);
    if (!kind) return undefined;
    const doc = await store.issueDocument({
      workflowId,
      key: notice.key,
      kind,
      prefix: documentPrefix,
      year: documentYear(notice.event),
      at: notice.event.at,
    });
    const number = documentNumber(doc.prefix, doc.year, doc.n);
    return { number, file: await supervisionOrderPdf(kind, number, notice.event, state) };
  };

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
      const order = await orderFor(workflowId, notice, state);
      return deliverOnce(
        { store, mailer, webhooks },
        {
          workflowId,
          key: notice.key,
          to: resolveAudience(directory, notice.to),
          mail: renderNotice(notice, state, order && { number: order.number, fileName: order.file.fileName }),
          why: `no recipient resolves for ${JSON.stringify(notice.to)}`,
          ...(order
            ? {
                attachments: [
                  {
                    filename: order.file.fileName,
                    contentType: order.file.contentType,
                    content: order.file.bytes,
                  },
                ],
              }
            : {}),
        },
      );
    },
  };
}

export type DubanActivities = ReturnType<typeof createActivities>;
