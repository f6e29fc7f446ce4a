import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TaskSummary } from '../domain';
import { principalFromRequest, type Principal } from '../services/auth';

export interface TaskChange {
  id: string;
  seq: number;
}

type Listener = (changes: TaskChange[]) => void;

/**
 * A source of "something may have changed" (the store's watchChanges); returns the way to stop, with
 * `ready` settling once a change from then on is heard.
 */
export type ChangeSource = (onChange: () => void) => (() => void) & { ready?: Promise<void> };

/**
 * Watches the store's projection for tasks whose seq moved. The worker may run in another process and
 * several HTTP servers may share one database, so nothing in this process hears of a change by itself:
 * with a change source (the store's: PostgreSQL's LISTEN, SQLite's poll of the high-water marks) the
 * projection is read when the source says so; without one, every `intervalMs`. Either way one reading
 * serves every open page, and it runs only while a page listens.
 */
export class TaskWatcher {
  private readonly listeners = new Set<Listener>();
  private seen?: Map<string, number>;
  private timer?: NodeJS.Timeout;
  private unwatch?: () => void;
  private listening?: Promise<void>;
  private polling?: Promise<void>;
  private again = false;

  constructor(
    private readonly list: () => Promise<TaskSummary[]>,
    private readonly intervalMs = 1000,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly changes?: ChangeSource,
  ) {}

  private get running(): boolean {
    return this.timer !== undefined || this.unwatch !== undefined;
  }

  /** Resolves once the baseline is known and the source listens, so a change after it is never missed. */
  async subscribe(fn: Listener): Promise<() => void> {
    this.listeners.add(fn);
    if (!this.running) {
      if (this.changes) {
        const off = this.changes(() => void this.poll());
        this.unwatch = off;
        this.listening = off.ready;
      } else {
        this.timer = setInterval(() => void this.poll(), this.intervalMs);
        this.timer.unref();
      }
    }
    await this.listening;
    if (!this.seen) await this.poll();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
    this.listening = undefined;
    this.seen = undefined;
  }

  /**
   * One reading at a time; a call during one is joined, and (since the change it announces may have come
   * after that reading began) one more reading follows it.
   */
  poll(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.again = false;
        await this.check();
      } while (this.again && this.running);
    })().finally(() => (this.polling = undefined));
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
    this.seen = this.running ? now : undefined;
    if (!before) return;
    const changes = tasks
      .filter((t) => before.get(t.workflowId) !== t.seq)
      .map((t) => ({ id: t.workflowId, seq: t.seq }));
    if (changes.length === 0) return;
    for (const fn of this.listeners) fn(changes);
  }
}

const HEARTBEAT_MS = 15_000;

export interface EventLimits {
  /** Connections at once, in all (DUBAN_SSE_MAX). */
  max: number;
  /** Connections at once per signed-in principal (its tabs and windows). */
  perPrincipal: number;
}

const principalKey = (p: Principal) => [p.role, p.department ?? p.region ?? '', p.name ?? ''].join('|');

/** The API's error shape (http/errors.ts ApiError), said here without depending on the API's room. */
function refuse(reply: FastifyReply, status: 401 | 429 | 503, error: string, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, message });
}

/**
 * `GET /events`: server-sent events, for signed-in readers only (the public is told nothing live), and
 * only so many at once: each is an open socket and a share of the watcher's work. `ready` once the watcher has its baseline (the page then refreshes
 * once, closing the gap between rendering and listening), `task` for each change: ids and seqs only, so
 * nothing reaches a reader that the pages themselves would not show them.
 */
export function registerEvents(app: FastifyInstance, watcher: TaskWatcher, limits: EventLimits): void {
  const open = new Set<FastifyReply>();
  const byPrincipal = new Map<string, number>();

  app.addHook('preClose', (done) => {
    for (const reply of open) reply.raw.end();
    open.clear();
    watcher.stop();
    done();
  });

  app.get('/events', async (req: FastifyRequest, reply: FastifyReply) => {
    const p = principalFromRequest(req);
    if (p.role === 'public')
      return refuse(
        reply,
        401,
        'unauthorized',
        '请先登录 / sign in first: the live feed is for signed-in readers',
      );
    const key = principalKey(p);
    const mine = byPrincipal.get(key) ?? 0;
    if (mine >= limits.perPrincipal)
      return refuse(
        reply,
        429,
        'too_many_requests',
        `实时连接过多（每个身份最多 ${limits.perPrincipal} 个），请关闭多余的页面 / too many live connections (at most ${limits.perPrincipal} per principal): close some pages`,
      );
    if (open.size >= limits.max)
      return refuse(
        reply,
        503,
        'unavailable',
        `实时连接已满（共 ${limits.max} 个），页面仍可手动刷新 / the live feed is full (${limits.max} connections): reload the page by hand`,
      );
    byPrincipal.set(key, mine + 1);
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
      const left = (byPrincipal.get(key) ?? 1) - 1;
      if (left > 0) byPrincipal.set(key, left);
      else byPrincipal.delete(key);
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
