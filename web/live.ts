import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TaskSummary } from '../domain';

export interface TaskChange {
  id: string;
  seq: number;
}

type Listener = (changes: TaskChange[]) => void;

/**
 * Watches the store's projection for tasks whose seq moved. Polling is the robust choice here: the worker
 * may run in another process (docker-compose) and writes straight to the database, so nothing in this
 * process hears of a change. One poll serves every open page, and it runs only while a page listens.
 */
export class TaskWatcher {
  private readonly listeners = new Set<Listener>();
  private seen?: Map<string, number>;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(
    private readonly list: () => Promise<TaskSummary[]>,
    private readonly intervalMs = 1000,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Resolves once the baseline is known, so a change after it is never missed. */
  async subscribe(fn: Listener): Promise<() => void> {
    this.listeners.add(fn);
    if (!this.timer) this.timer = setInterval(() => void this.poll(), this.intervalMs);
    if (!this.seen) await this.poll();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.seen = undefined;
  }

  /** One poll at a time; a slow one is joined, not doubled. */
  poll(): Promise<void> {
    this.polling ??= this.check().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async check(): Promise<void> {
    let tasks: TaskSummary[];
    try {
      tasks = await this.list();
    } catch (err) {
      this.onError(err);
      return;
    }
    const now = new Map(tasks.map((t) => [t.workflowId, t.seq]));
    const before = this.seen;
    this.seen = this.timer ? now : undefined;
    if (!before) return;
    const changes = tasks
      .filter((t) => before.get(t.workflowId) !== t.seq)
      .map((t) => ({ id: t.workflowId, seq: t.seq }));
    if (changes.length === 0) return;
    for (const fn of this.listeners) fn(changes);
  }
}

const HEARTBEAT_MS = 15_000;

/**
 * `GET /events`: server-sent events. `ready` once the watcher has its baseline (the page then refreshes
 * once, closing the gap between rendering and listening), `task` for each change: ids and seqs only, so
 * nothing reaches a reader that the pages themselves would not show them.
 */
export function registerEvents(app: FastifyInstance, watcher: TaskWatcher): void {
  const open = new Set<FastifyReply>();

  app.addHook('preClose', (done) => {
    for (const reply of open) reply.raw.end();
    open.clear();
    watcher.stop();
    done();
  });

  app.get('/events', async (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write('retry: 2000\n\n');
    open.add(reply);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    req.raw.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      open.delete(reply);
      unsubscribe?.();
    });
    const off = await watcher.subscribe((changes) => send('task', changes));
    if (closed) off();
    else {
      unsubscribe = off;
      send('ready', {});
    }
  });
}
