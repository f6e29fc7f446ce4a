import type { DutyRecord } from '../domain/duty';
import type { Store } from '../store';

export interface DutyActivityDeps {
  store: Pick<Store, 'upsertDuty'>;
}

export function createDutyActivities({ store }: DutyActivityDeps) {
  return {
    /** Where a duty's series stands, for `duty list` and the pages; a later write wins (each run writes once). */
    async recordDuty(record: DutyRecord): Promise<void> {
      await store.upsertDuty(record);
    },
  };
}
