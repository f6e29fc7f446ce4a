import type { Store } from '../store';
import { deliverOnce, type DeliveryDeps } from './deliver';
import { resolveAudience, type Directory } from '../directory/directory';
import {
  DIGEST_BOOKMARKS,
  digestBookmark,
  digestItems,
  nextDigest,
  renderDigest,
  renderDigestChanges,
  type DigestRecord,
} from '../domain';
import { indicatorDigestLines, withIndicatorMisses } from '../domain/indicator-digest';
import { indicatorYearWorkflowId } from '../domain/indicators';

export function createDigestActivities({
  store,
  mailer,
  directory,
}: DeliveryDeps & {
  store: Pick<Store, 'listTasks' | 'claimBookmark' | 'getBookmark' | 'lastBookmarkBefore'> &
    Partial<Pick<Store, 'indicatorPlans' | 'ledgerFor'>>;
  directory: Directory;
}) {
  /** The year-close consequences on every plan's chain (the ledger is what the digest reports). */
  const indicatorMisses = async () => {
    if (!store.indicatorPlans || !store.ledgerFor) return [];
    const out = [];
    for (const plan of await store.indicatorPlans())
      out.push(
        ...indicatorDigestLines(
          plan,
          (await store.ledgerFor(indicatorYearWorkflowId(plan))).map((e) => e.event as never),
        ),
      );
    return out;
  };
  const audience = () => resolveAudience(directory, [{ role: 'leadership' }, { role: 'supervisors' }]);
  return {
    /**
     * Mails leadership what changed since the last digest, once per day, and nothing when nothing did. The
     * day's record is claimed before sending, so a retry mails the same list and the next day compares with it.
     */
    async sendDigest({ day }: { day: string }): Promise<{ items: number; sent: boolean }> {
      let record = (await store.getBookmark(digestBookmark(day))) as DigestRecord | undefined;
      if (record === undefined) {
        const last = await store.lastBookmarkBefore(DIGEST_BOOKMARKS, digestBookmark(day));
        const before = last?.value as DigestRecord | undefined;
        const fresh = withIndicatorMisses(
          nextDigest(before, await store.listTasks({}), day),
          before,
          await indicatorMisses(),
          day,
        );
        if (fresh === undefined) return { items: 0, sent: false };
        record = (await store.claimBookmark(digestBookmark(day), fresh)) as DigestRecord;
      }
      const r = await deliverOnce(
        { store, mailer },
        { workflowId: 'digest', key: day, to: audience(), mail: renderDigestChanges(record) },
      );
      return {
        items: record.changes.length + (record.indicators?.length ?? 0),
        sent: r.status === 'sent',
      };
    },

    /**
     * Mails leadership the full list of `day` now, on request. Each request (`n`) has its own outbox row,
     * so a retry sends nothing more and a second request a second mail.
     */
    async sendFullDigest({ day, n }: { day: string; n: number }): Promise<{ items: number; sent: boolean }> {
      const items = digestItems(await store.listTasks({}), day);
      const r = await deliverOnce(
        { store, mailer },
        { workflowId: 'digest', key: `full/${day}/${n}`, to: audience(), mail: renderDigest(items, day) },
      );
      return { items: items.length, sent: r.status === 'sent' };
    },
  };
}
