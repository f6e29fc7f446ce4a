import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  DIGEST_BOOKMARKS,
  addDays,
  digestBookmark,
  digestItems,
  nextDigest,
  type DigestRecord,
  type EscalationLevel,
  type TaskSummary,
} from '../domain';
import type { Store } from '../store';
import {
  DIGEST_WORKFLOW,
  fullDigestWorkflowId,
  type DigestResult,
  type FullDigestInput,
} from '../workflows/digest-messages';
import { TemporalUnavailable } from './errors';
import { grpcCode, isUnreachable } from './facade';

/** One line of the digest as the CLI's `--json` and the API give it. */
export interface DigestItem {
  workflowId: string;
  title: string;
  lead: string[];
  due: string;
  escalation: EscalationLevel;
}

export interface DigestList {
  day: string;
  items: DigestItem[];
}

export const digestItem = (t: TaskSummary): DigestItem => ({
  workflowId: t.workflowId,
  title: t.title,
  lead: t.lead,
  due: t.due,
  escalation: t.escalation,
});

/** The full list of `day` (every task overdue or up the ladder), from the store's projection. */
export async function fullDigest(
  source: { list(): Promise<TaskSummary[]> },
  day: string,
): Promise<{ day: string; tasks: TaskSummary[] }> {
  return { day, tasks: digestItems(await source.list(), day) };
}

export const digestListJson = ({ day, tasks }: { day: string; tasks: TaskSummary[] }): DigestList => ({
  day,
  items: tasks.map(digestItem),
});

/**
 * What the next daily digest would say were it sent now: today's, against the last one before it, or, when
 * today's has gone, tomorrow's against today's. None when nothing changed.
 */
export async function pendingDigest(
  store: Pick<Store, 'listTasks' | 'getBookmark' | 'lastBookmarkBefore'>,
  today: string,
): Promise<{ day: string; record?: DigestRecord }> {
  const sentToday = (await store.getBookmark(digestBookmark(today))) as DigestRecord | undefined;
  const day = sentToday ? addDays(today, 1) : today;
  const last = sentToday ?? (await store.lastBookmarkBefore(DIGEST_BOOKMARKS, digestBookmark(day)))?.value;
  const record = nextDigest(last as DigestRecord | undefined, await store.listTasks({}), day);
  return record ? { day, record } : { day };
}

/** A request for the full list by mail: the run that sends it, and what it did if it finished in time. */
export interface FullDigestRequest {
  workflowId: string;
  day: string;
  /** False when no worker finished within the wait: the run stays, and mails once a worker takes it. */
  done: boolean;
  items?: number;
  sent?: boolean;
}

export interface DigestClient {
  /** Starts a run of the digest workflow that mails the full list of `day` to leadership. */
  sendFull(day: string): Promise<FullDigestRequest>;
}

export interface DigestClientOptions {
  client: Client;
  taskQueue: string;
  callTimeoutMs?: number;
  /** How long to wait for the mail to go before answering that it is on its way. */
  waitMs?: number;
}

const DEADLINE_EXCEEDED = 4;
/** Requests a day before a run's id is refused: far beyond any real use. */
const MAX_PER_DAY = 1000;

export function createDigestClient({
  client,
  taskQueue,
  callTimeoutMs = 30_000,
  waitMs = 20_000,
}: DigestClientOptions): DigestClient {
  const unreachable = (err: unknown) =>
    new TemporalUnavailable('Temporal 服务器无法连接 / the Temporal server is not reachable', 'server', {
      cause: err,
    });

  /** The day's next free run: ids are never reused (closed runs included), so each request is a new one. */
  async function start(day: string) {
    for (let n = 1; n <= MAX_PER_DAY; n++) {
      const workflowId = fullDigestWorkflowId(day, n);
      const input: FullDigestInput = { full: true, day, n };
      try {
        return await client.withDeadline(Date.now() + callTimeoutMs, () =>
          client.workflow.start(DIGEST_WORKFLOW, {
            workflowId,
            taskQueue,
            args: [input],
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          }),
        );
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) continue;
        if (isUnreachable(err)) throw unreachable(err);
        throw err;
      }
    }
    throw new Error(`more than ${MAX_PER_DAY} full digests requested on ${day}`);
  }

  return {
    async sendFull(day) {
      const handle = await start(day);
      const workflowId = handle.workflowId;
      try {
        const r = (await client.withDeadline(Date.now() + waitMs, () => handle.result())) as DigestResult;
        return { workflowId, day, done: true, items: r.items, sent: r.sent };
      } catch (err) {
        if (grpcCode(err) === DEADLINE_EXCEEDED) return { workflowId, day, done: false };
        if (isUnreachable(err)) throw unreachable(err);
        throw err;
      }
    },
  };
}
