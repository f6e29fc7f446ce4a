import type { Audience } from '../domain';
import { judgeYear, type YearMiss } from '../domain/indicators';
import { resolveAudience, type Directory } from '../directory/directory';
import type { LedgerEvent, Store } from '../store';
import { deliverOnce, type NoticeResult, type OutboxStore } from './deliver';
import { renderIndicatorNotice, type IndicatorNoticeKind } from './indicator-mail';
import type { Mailer } from './mailer';

export interface IndicatorActivityDeps {
  store: Pick<Store, 'listIndicators' | 'listIndicatorValues' | 'appendEvents'> & OutboxStore;
  mailer: Pick<Mailer, 'send'>;
  directory: Directory;
}

export function createIndicatorActivities({ store, mailer, directory }: IndicatorActivityDeps) {
  return {
    /** The plan's target years, oldest first (read when the workflow wakes: a restart may add some). */
    async indicatorYears({ plan }: { plan: string }): Promise<number[]> {
      const defs = await store.listIndicators(plan);
      return [...new Set(defs.flatMap((d) => d.targets.map((t) => t.year)))].sort((a, b) => a - b);
    },

    /** The year judged on the values recorded by now. */
    async judgeIndicatorYear({ plan, year }: { plan: string; year: number }) {
      const [defs, values] = await Promise.all([store.listIndicators(plan), store.listIndicatorValues(plan)]);
      return judgeYear(defs, values, year);
    },

    async recordIndicatorYearEvents({
      workflowId,
      events,
    }: {
      workflowId: string;
      events: LedgerEvent[];
    }): Promise<void> {
      await store.appendEvents(workflowId, events);
    },

    /**
     * The interview's summons (the responsible 镇街's and the measuring department's heads, leadership,
     * supervisors), or the department's reminder of a value it never reported.
     */
    async sendIndicatorNotice({
      workflowId,
      key,
      kind,
      miss,
    }: {
      workflowId: string;
      key: string;
      kind: IndicatorNoticeKind;
      miss: YearMiss;
    }): Promise<NoticeResult> {
      const to: Audience[] =
        kind === 'interview'
          ? [
              ...miss.regions.map((head) => ({ head })),
              { head: miss.department },
              { role: 'leadership' },
              { role: 'supervisors' },
            ]
          : [{ department: miss.department }, { role: 'supervisors' }];
      return deliverOnce(
        { store, mailer },
        { workflowId, key, to: resolveAudience(directory, to), mail: renderIndicatorNotice(kind, miss) },
      );
    },
  };
}

export type IndicatorActivities = ReturnType<typeof createIndicatorActivities>;
