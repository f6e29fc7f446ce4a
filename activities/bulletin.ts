import { resolveAudience, type Directory } from '../directory/directory';
import { parsePeriod } from '../domain/bulletin';
import { loadBulletin, renderBulletin } from '../office/bulletin';
import { renderBulletinMail } from '../office/bulletin-mail';
import type { OfficeFormat } from '../office/document';
import type { Store } from '../store';
import { deliverOnce, type DeliveryDeps } from './deliver';

export interface BulletinMailInput {
  /** `2027-03` (or a quarter, a year): the period reported. */
  period: string;
  /** The day it is made (YYYY-MM-DD, Asia/Shanghai). */
  day: string;
  format: OfficeFormat;
}

export interface BulletinMailResult {
  /** One mail a plan with tasks in the period. */
  plans: string[];
  sent: number;
}

export function createBulletinActivities({
  store,
  mailer,
  directory,
}: DeliveryDeps & {
  store: Pick<Store, 'listTasks' | 'ledgerFor'>;
  directory: Directory;
}) {
  return {
    /**
     * Mails leadership and supervisors each plan's 督查通报 of the period, the file attached. One outbox row
     * per plan and period, so a retry or a second run of the same month sends nothing twice.
     */
    async sendBulletin({ period, day, format }: BulletinMailInput): Promise<BulletinMailResult> {
      const p = parsePeriod(period, day);
      if ('error' in p) throw new Error(p.error);
      const plans = [...new Set((await store.listTasks({})).map((t) => t.plan))].sort();
      const audience = resolveAudience(directory, [{ role: 'leadership' }, { role: 'supervisors' }]);
      const out: BulletinMailResult = { plans: [], sent: 0 };
      for (const plan of plans) {
        const b = await loadBulletin(store, { plan, period: p, today: day });
        if (b.total.tasks === 0) continue;
        const file = await renderBulletin(b, format);
        const r = await deliverOnce(
          { store, mailer },
          {
            workflowId: 'bulletin',
            key: `${plan}/${p.key}`,
            to: audience,
            mail: renderBulletinMail(b, file.fileName),
            attachments: [{ filename: file.fileName, contentType: file.contentType, content: file.bytes }],
          },
        );
        out.plans.push(plan);
        if (r.status === 'sent') out.sent += 1;
      }
      return out;
    },
  };
}
