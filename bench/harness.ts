/**
 * Real processes for the benchmarks and the fault tests: the Temporal dev server on a SQLite file, the
 * compiled worker (`dist/app/worker-main.js`) as its own process, and an SMTP server in this process that
 * records when each message was accepted and can be slowed down, stopped and started again on its port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { obtainServers, startDevServer, type DevServer } from '../servers/temporal';
import { projectRoot } from '../config/paths';

export const ROOT = projectRoot();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `pred` every `everyMs` until it holds; throws naming `what` (and `detail()`) after `timeoutMs`. */
export async function waitUntil(
  what: string,
  pred: () => boolean | Promise<boolean>,
  timeoutMs: number,
  detail: () => string | Promise<string> = () => '',
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${await detail()}`);
    await sleep(everyMs);
  }
}

/** Resident set size of a process in bytes (Linux /proc), or undefined when it is gone. */
export function rssOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc), or undefined when it is gone. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** The pid of the process whose command line contains `needle` (e.g. a unique database path). */
export function pidByCmdline(needle: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes(needle)) return Number(entry);
    } catch {
      // gone in the meantime
    }
  }
  return undefined;
}

export interface Server extends DevServer {
  port: number;
  uiPort: number;
  dbFile: string;
  pid(): number | undefined;
}

/** `temporal server start-dev` on `dbFile`, on `port` (a free one unless given: restart on the same one). */
export async function startServer(
  dir: string,
  opts: { port?: number; uiPort?: number } = {},
): Promise<Server> {
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort ?? (await freePort());
  const dbFile = path.join(dir, 'temporal.db');
  const server = await startDevServer({
    cli: process.env.TEMPORAL_CLI ?? obtainServers().cli,
    dbFile,
    port,
    uiPort,
    namespace: 'default',
    logFile: path.join(dir, 'temporal.log'),
  });
  return { ...server, port, uiPort, dbFile, pid: () => pidByCmdline(dbFile) };
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** kill -9: no shutdown, no cleanup, activities and workflow tasks in flight are abandoned. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
  exited(): boolean;
}

export interface WorkerEnv {
  address: string;
  dataDir: string;
  dbFile: string;
  taskQueue: string;
  smtpUrl?: string;
  directory?: string;
  /** Extra variables (e.g. DUBAN_LOG_LEVEL). */
  extra?: NodeJS.ProcessEnv;
  /** Node's own flags before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
}

/** The command key the harness's processes seal with, as a deployment gives every process the same one. */
export const COMMAND_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** `node dist/app/worker-main.js` with DUBAN_* env; resolves once it says it polls its task queue. */
export function startWorker(
  env: WorkerEnv,
  script = path.join(ROOT, 'dist', 'app', 'worker-main.js'),
): Promise<WorkerProcess> {
  return startDubanProcess('the worker', script, env, /worker on |ready/);
}

export interface HttpProcess extends WorkerProcess {
  /** http://127.0.0.1:<port> */
  base: string;
}

/** `node dist/app/http-main.js` on a free port; resolves once it says it serves. */
export async function startHttp(env: WorkerEnv): Promise<HttpProcess> {
  const port = await freePort();
  const p = await startDubanProcess(
    'the HTTP server',
    path.join(ROOT, 'dist', 'app', 'http-main.js'),
    { ...env, extra: { DUBAN_HTTP_PORT: String(port), DUBAN_HTTP_HOST: '127.0.0.1', ...env.extra } },
    /\[duban\] HTTP: /,
  );
  return { ...p, base: `http://127.0.0.1:${port}` };
}

async function startDubanProcess(
  what: string,
  script: string,
  env: WorkerEnv,
  ready: RegExp,
): Promise<WorkerProcess> {
  let out = '';
  const child = spawn(process.execPath, [...(env.nodeArgs ?? []), script], {
    cwd: env.dataDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: env.address,
      DUBAN_DATA_DIR: env.dataDir,
      DUBAN_DB_URL: env.dbFile,
      DUBAN_TASK_QUEUE: env.taskQueue,
      ...(env.smtpUrl ? { DUBAN_SMTP_URL: env.smtpUrl } : {}),
      ...(env.directory ? { DUBAN_DIRECTORY: env.directory } : {}),
      DUBAN_MAIL_FROM: '督查室 <duban@test.example>',
      DUBAN_COMMAND_KEY: COMMAND_KEY,
      // As `npm run worker` and the image run it: a capped heap, so garbage is collected, not kept.
      NODE_OPTIONS: '--max-old-space-size=768',
      // A run that crosses 08:00 Asia/Shanghai (or the 1st's 09:00) would otherwise mail a digest or a
      // bulletin beside the notices it counts; a run that wants them sets them in `extra`.
      DUBAN_DIGEST_SCHEDULE: 'off',
      DUBAN_BULLETIN_SCHEDULE: 'off',
      ...Object.fromEntries(Object.entries(env.extra ?? {}).filter(([, v]) => v !== undefined)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  await waitUntil(
    `${what} to start`,
    () => {
      if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${out}`);
      return ready.test(out);
    },
    90_000,
    () => `:\n${out}`,
  );
  const exit = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async kill9() {
      child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exit;
      clearTimeout(force);
      return code;
    },
  };
}

export interface ReceivedMail {
  /** Date.now() when the SMTP server had the whole message (before it answered). */
  receivedAt: number;
  messageId: string;
  subject: string;
  /** RCPT TO of the SMTP envelope. */
  rcptTo: string[];
  /** Header lines as received, unfolded (for header-injection checks). */
  headerLines: readonly { key: string; line: string }[];
  text: string;
  html: string;
  /** Whether the server said 250 to it (false when the client went away while it was held). */
  accepted: boolean;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Hold each message this long before answering (a slow relay); 0: answer at once. */
  holdMs: number;
  /** Connections that went away in the middle of a mail (their errors' messages). */
  dropped: string[];
  /** Called when a message's data has arrived, before it is held and answered. */
  onData?: (m: ReceivedMail) => void;
  /** Stops listening (connections refused) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  waitFor(what: string, pred: (m: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on `port` that keeps every message it is given. Without a port it listens on one the
 * system picks, which no process starting beside it can take first; one that is not to listen yet gets a
 * port that was free a moment ago.
 */
export async function startSmtpSink(opts: { port?: number; listen?: boolean } = {}): Promise<SmtpSink> {
  let port = opts.port ?? (opts.listen === false ? await freePort() : 0);
  const messages: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const sink: SmtpSink = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    holdMs: 0,
    dropped: [],
    async start() {
      if (server) return;
      const s = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const receivedAt = Date.now();
            const raw = Buffer.concat(chunks);
            simpleParser(raw)
              .then(async (p) => {
                const m: ReceivedMail = {
                  receivedAt,
                  messageId: p.messageId ?? '',
                  subject: p.subject ?? '',
                  rcptTo: session.envelope.rcptTo.map((r) => r.address),
                  headerLines: p.headerLines,
                  text: p.text ?? '',
                  html: typeof p.html === 'string' ? p.html : '',
                  accepted: false,
                };
                messages.push(m);
                sink.onData?.(m);
                if (sink.holdMs > 0) await sleep(sink.holdMs);
                m.accepted = true;
                callback();
              })
              .catch((err: Error) => callback(err));
          });
        },
      });
      // A client killed in the middle of a mail resets its connection: a real server notes it and goes on.
      s.on('error', (err: Error) => sink.dropped.push(err.message));
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      if (port === 0) {
        port = (s.server.address() as AddressInfo).port;
        sink.port = port;
        sink.url = `smtp://127.0.0.1:${port}`;
      }
      server = s;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    waitFor(what, pred, timeoutMs = 30_000) {
      return waitUntil(
        what,
        () => pred(messages),
        timeoutMs,
        () => {
          const got = messages.map((m) => `  ${m.subject}`).join('\n') || '  (none)';
          return `; received ${messages.length}:\n${got}`;
        },
      );
    },
    close: () => sink.stop(),
  };
  if (opts.listen !== false) await sink.start();
  return sink;
}

/** Percentile (nearest rank) of numbers, p in 0..100. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
