import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  DutySpec,
  dutyWorkflowId,
  type DutyPeriod,
  type DutyRecord,
  type DutySpecInput,
  type DutyStatus,
  type TaskState,
  type TaskStatus,
} from '../domain';
import type { DutyForReview } from '../importer';
import type { Store } from '../store';
import { DUTY_WORKFLOW, type DutyWorkflowInput } from '../workflows/duty-messages';
import { BadInput } from './errors';

/** One duty as `duban duty list` and the API show it: its period, departments and current occurrence. */
export interface DutyListItem {
  plan: string;
  id: string;
  workflowId: string;
  region: string | null;
  title: string;
  /** quarter, half-year, year (or month); null for a duty left for review (定期 with no period). */
  every: DutyPeriod | null;
  lead: string[];
  cooperating: string[];
  from: string;
  until: string;
  status: DutyStatus;
  current: {
    id: string;
    workflowId: string;
    period: string;
    due: string;
    /** The occurrence's task status (assigned until its first event reaches the store). */
    status: TaskStatus;
    escalation: TaskState['escalation'];
  } | null;
  next: { period: string; opensOn: string } | null;
}

export interface DutyOps {
  /** Starts one duty workflow per spec; idempotent on the workflow id. Results in the order given. */
  startDuties(specs: readonly DutySpecInput[]): Promise<{ workflowId: string; started: boolean }[]>;
  /** Lists the duties left for review (定期 with no period); one already known is left as it is. */
  reviewDuties(items: readonly DutyForReview[]): Promise<number>;
  /** A plan's duties (every plan's without one) with their current occurrence. */
  duties(plan?: string): Promise<DutyListItem[]>;
}

export interface DutyOpsDeps {
  client: Client;
  taskQueue: string;
  store: Pick<Store, 'getTask'> & Partial<Pick<Store, 'listDuties' | 'upsertDuty'>>;
  commandKey?: string;
  /** The facade's deadline and transport-error wrapper. */
  call<R>(fn: () => Promise<R>): Promise<R>;
}

export function createDutyOps({ client, taskQueue, store, commandKey, call }: DutyOpsDeps): DutyOps {
  const listDuties = (plan?: string) => (store.listDuties ? store.listDuties(plan) : Promise.resolve([]));

  async function startOne(spec: DutySpec) {
    const workflowId = dutyWorkflowId(spec);
    // Occurrences are started as tasks are: with duban's search attributes and the command key.
    const input: DutyWorkflowInput = { spec, searchAttributes: true, ...(commandKey ? { commandKey } : {}) };
    try {
      await call(() =>
        client.workflow.start(DUTY_WORKFLOW, {
          args: [input],
          taskQueue,
          workflowId,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }),
      );
      return { workflowId, started: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
      throw err;
    }
  }

  const item = async (d: DutyRecord): Promise<DutyListItem> => {
    const task = d.current ? await store.getTask(d.current.workflowId) : undefined;
    return {
      plan: d.plan,
      id: d.id,
      workflowId: d.workflowId,
      region: d.region,
      title: d.title,
      every: d.every,
      lead: d.lead,
      cooperating: d.cooperating,
      from: d.from,
      until: d.until,
      status: d.status,
      current: d.current && {
        ...d.current,
        status: task?.status ?? 'assigned',
        escalation: task?.escalation ?? 'none',
      },
      next: d.next,
    };
  };

  return {
    async startDuties(specs) {
      const parsed = specs.map((s, i) => {
        const r = DutySpec.safeParse(s);
        if (r.success) return r.data;
        const iss = r.error.issues[0];
        const field = [`duties[${i}]`, ...iss.path.map(String)].join('.');
        throw new BadInput(field, `${field}: ${iss.message}`);
      });
      const results = [];
      for (const spec of parsed) results.push(await startOne(spec));
      return results;
    },

    async reviewDuties(items) {
      if (!store.upsertDuty || items.length === 0) return 0;
      const known = new Set((await listDuties(items[0].plan)).map((d) => d.workflowId));
      const at = new Date().toISOString();
      let n = 0;
      for (const r of items) {
        const workflowId = dutyWorkflowId(r);
        if (known.has(workflowId)) continue;
        await store.upsertDuty({
          workflowId,
          plan: r.plan,
          id: r.id,
          region: r.region ?? null,
          title: r.title,
          every: null,
          lead: r.lead,
          cooperating: r.cooperating,
          from: r.from,
          until: r.until,
          status: 'review',
          current: null,
          next: null,
          updatedAt: at,
        });
        n += 1;
      }
      return n;
    },

    async duties(plan) {
      return Promise.all((await listDuties(plan)).map(item));
    },
  };
}
