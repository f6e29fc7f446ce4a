import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../config/paths';
import type { PlanJob, PlanReply } from './plan-worker';

/** Why a job did not come back with a value: the document's fault, the time limit, or a bug. */
export class PlanJobFailed extends Error {
  constructor(
    readonly reason: 'unreadable' | 'timeout' | 'crashed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The compiled worker script. Under ts-jest this module is TypeScript and a worker cannot load it, so the
 * build's copy is used (the http tests run after `npm run build`).
 */
function workerScript(): string {
  const here = path.join(__dirname, 'plan-worker.js');
  if (fs.existsSync(here)) return here;
  return path.join(projectRoot(), 'dist', 'http', 'plan-worker.js');
}

/**
 * A pool of one worker thread for the importer: jobs run one at a time, each with a time limit; a job
 * over its limit is stopped by ending the thread (the next job starts a fresh one). The thread is
 * started on first use and let go when idle, so a server that never imports holds none.
 */
export class PlanPool {
  private worker?: Worker;
  private queue: Promise<unknown> = Promise.resolve();
  private idle?: NodeJS.Timeout;

  constructor(
    readonly timeoutMs = 20_000,
    private readonly idleMs = 60_000,
  ) {}

  run<T>(job: PlanJob): Promise<T> {
    const next = this.queue.then(() => this.once<T>(job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private thread(): Worker {
    clearTimeout(this.idle);
    if (!this.worker) {
      const w = new Worker(workerScript());
      w.unref();
      w.on('exit', () => {
        if (this.worker === w) this.worker = undefined;
      });
      this.worker = w;
    }
    return this.worker;
  }

  private once<T>(job: PlanJob): Promise<T> {
    const w = this.thread();
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        this.idle = setTimeout(() => void this.close(), this.idleMs);
        this.idle.unref();
      };
      const onMessage = (r: PlanReply) => {
        done();
        if (r.ok) resolve(r.value as T);
        else if (r.unreadable !== undefined) reject(new PlanJobFailed('unreadable', r.unreadable));
        else reject(new PlanJobFailed('crashed', r.error ?? 'the importer failed'));
      };
      const onError = (err: Error) => {
        done();
        reject(new PlanJobFailed('crashed', err.stack ?? err.message));
      };
      const onExit = (code: number) => {
        done();
        reject(new PlanJobFailed('crashed', `the importer's thread exited (${code})`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new PlanJobFailed('timeout', `over ${this.timeoutMs} ms`));
        if (this.worker === w) this.worker = undefined;
        void w.terminate();
      }, this.timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(job);
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.idle);
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
