import { taskRecordOf, type TaskRecord } from '../domain/assessment';
import type { DutyRecord } from '../domain/duty';
import type { IndicatorDef, RecordedValue } from '../domain/indicators';
import type { Store } from '../store';

// What the 目标责任书 and the 考核 read of one plan: its tasks with what their ledgers say (milestones,
// submission day, 约谈 ordered), its recurring duties, and its indicators with their values.

export type PlanRecordStore = Pick<
  Store,
  'listTasks' | 'ledgerFor' | 'listDuties' | 'listIndicators' | 'listIndicatorValues'
>;

export interface PlanRecords {
  plan: string;
  tasks: TaskRecord[];
  duties: DutyRecord[];
  indicators: IndicatorDef[];
  values: RecordedValue[];
}

export async function loadPlanRecords(store: PlanRecordStore, plan: string): Promise<PlanRecords> {
  const [summaries, duties, indicators, values] = await Promise.all([
    store.listTasks({ plan }),
    store.listDuties(plan),
    store.listIndicators(plan),
    store.listIndicatorValues(plan),
  ]);
  const tasks: TaskRecord[] = [];
  for (const s of summaries)
    tasks.push(
      taskRecordOf(
        s,
        (await store.ledgerFor(s.workflowId)).map((e) => e.event),
      ),
    );
  return { plan, tasks, duties, indicators, values };
}
