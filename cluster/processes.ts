import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** One of the cluster's node processes (a worker or an HTTP server), its output appended to a log file. */
export interface NodeProcess {
  name: string;
  pid(): number | undefined;
  running(): boolean;
  /** Starts it (again) and resolves once it prints its ready line. */
  start(): Promise<void>;
  /** kill -9: no shutdown, whatever it was doing is abandoned. */
  kill9(): Promise<void>;
  /** SIGTERM, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function nodeProcess(o: {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  /** What it prints once it serves. */
  ready: RegExp;
  readyTimeoutMs?: number;
}): NodeProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const reap = () => child?.kill('SIGKILL');
  const running = () => !!child && child.exitCode === null && child.signalCode === null;

  const p: NodeProcess = {
    name: o.name,
    pid: () => (running() ? child?.pid : undefined),
    running,
    async start() {
      if (running()) return;
      const log = fs.createWriteStream(o.logFile, { flags: 'a' });
      let out = '';
      const c = spawn(process.execPath, ['--max-old-space-size=768', o.script], {
        cwd: o.cwd,
        env: o.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      process.once('exit', reap);
      c.once('exit', () => process.removeListener('exit', reap));
      const readyOrExit = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`${o.name} did not start within ${o.readyTimeoutMs ?? 90_000} ms; see ${o.logFile}`),
            ),
          o.readyTimeoutMs ?? 90_000,
        );
        const onData = (d: Buffer) => {
          log.write(d);
          if (out.length < 65_536) out += d.toString();
          if (o.ready.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        };
        c.stdout!.on('data', onData);
        c.stderr!.on('data', onData);
        c.once('close', () => log.end());
        c.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`${o.name} exited (${signal ?? code}) before it was ready:\n${out}`));
        });
      });
      try {
        await readyOrExit;
      } catch (err) {
        c.kill('SIGKILL');
        throw err;
      }
    },
    async kill9() {
      if (running()) child!.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 20_000) {
      if (running()) {
        child!.kill('SIGTERM');
        const force = setTimeout(() => child?.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(force);
      }
      await exited;
    },
  };
  return p;
}
