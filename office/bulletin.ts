import { bulletinOf, type Bulletin, type BulletinPeriod } from '../domain/bulletin';
import type { TaskEvent, TaskSummary } from '../domain';
import { bulletinDocument, bulletinFileName } from './bulletin-document';
import { CONTENT_TYPES, type OfficeFormat } from './document';
import { renderDocx } from './docx';
import { renderPdf } from './pdf';
import { loadPlans } from './plans';

// The 督查通报 from the projection (which tasks) and the ledger (what happened when): one way for the CLI,
// the API and the monthly mail.

/** What the bulletin reads: the store, or anything that lists tasks and their ledgers. */
export interface BulletinSource {
  listTasks(filter: { plan: string }): Promise<TaskSummary[]>;
  ledgerFor(workflowId: string): Promise<{ event: TaskEvent }[]>;
}

export async function loadBulletin(
  source: BulletinSource,
  o: { plan: string; period: BulletinPeriod; today: string; title?: string },
): Promise<Bulletin> {
  const tasks = await source.listTasks({ plan: o.plan });
  const withEvents = [];
  for (const t of tasks)
    withEvents.push({
      workflowId: t.workflowId,
      events: (await source.ledgerFor(t.workflowId)).map((e) => e.event),
    });
  return bulletinOf({
    ...o,
    title: o.title ?? loadPlans().get(o.plan)?.title,
    tasks: withEvents,
  });
}

export interface RenderedFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

export async function renderBulletin(b: Bulletin, format: OfficeFormat): Promise<RenderedFile> {
  const doc = bulletinDocument(b);
  return {
    fileName: bulletinFileName(b, format),
    contentType: CONTENT_TYPES[format],
    bytes: format === 'docx' ? await renderDocx(doc) : await renderPdf(doc),
  };
}
