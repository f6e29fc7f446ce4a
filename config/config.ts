import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { commandKeyFile, parseCommandKey, readCommandKeyFile, type CommandKey } from './command-key';
import { projectRoot } from './paths';

const port = (name: string, dflt: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be between 1 and 65535`)
    .max(65535, `${name} must be between 1 and 65535`)
    .default(dflt);

/** A whole number of something between min and max, named in the error. */
const count = (name: string, what: string, min: number, max: number, dflt: number) =>
  z.coerce
    .number({ error: `${name} must be a number of ${what}` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(dflt);

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const isPostgres = (v: string) => /^postgres(ql)?:/i.test(v);

/** What is wrong with a postgres:// URL, or undefined when nothing is. */
function postgresProblem(v: string): string | undefined {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'not a URL';
  }
  if (!/^postgres(ql)?:$/i.test(u.protocol) || !v.includes('://')) return 'it must start with postgres://';
  if (!u.hostname) return 'no host';
  if (u.port && !(Number(u.port) >= 1 && Number(u.port) <= 65535)) return 'bad port';
  if (u.pathname.replace(/^\//, '') === '') return 'no database name';
  return undefined;
}

const Env = z.object({
  DUBAN_DATA_DIR: z.preprocess(blankIsUnset, z.string().default('./data')),
  TEMPORAL_ADDRESS: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/, 'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233')
      .optional(),
  ),
  TEMPORAL_NAMESPACE: z.preprocess(blankIsUnset, z.string().min(1).default('default')),
  DUBAN_TEMPORAL_PORT: z.preprocess(blankIsUnset, port('DUBAN_TEMPORAL_PORT', 7233)),
  DUBAN_TEMPORAL_UI_PORT: z.preprocess(blankIsUnset, port('DUBAN_TEMPORAL_UI_PORT', 8233)),
  DUBAN_HTTP_PORT: z.preprocess(blankIsUnset, port('DUBAN_HTTP_PORT', 3000)),
  DUBAN_HTTP_HOST: z.preprocess(blankIsUnset, z.string().default('127.0.0.1')),
  DUBAN_SMTP_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(
        /^smtps?:\/\/.+/,
        'DUBAN_SMTP_URL must start with smtp:// or smtps://, e.g. smtp://localhost:1025',
      )
      .optional(),
  ),
  DUBAN_MAIL_FROM: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(
        /^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/,
        'DUBAN_MAIL_FROM must be a mail address, e.g. "督查室 <duban@example.gov.cn>"',
      )
      .default('督查室 <duban@localhost>'),
  ),
  DUBAN_DB_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .superRefine((v, ctx) => {
        const problem = isPostgres(v) ? postgresProblem(v) : undefined;
        if (isPostgres(v) && problem)
          ctx.addIssue({
            code: 'custom',
            message: `DUBAN_DB_URL is not a usable PostgreSQL URL (${problem}): postgres://user:password@host:5432/database`,
          });
        else if (!isPostgres(v) && !/^(sqlite:|file:|\/|\.)/.test(v))
          ctx.addIssue({
            code: 'custom',
            message:
              'DUBAN_DB_URL must be a SQLite file (sqlite:/path/duban.db, file:/path or a path) or a PostgreSQL URL (postgres://user:password@host:5432/database)',
          });
      })
      .optional(),
  ),
  DUBAN_DB_POOL: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: 'DUBAN_DB_POOL must be a number of connections' })
      .int('DUBAN_DB_POOL must be a whole number')
      .min(1, 'DUBAN_DB_POOL must be at least 1')
      .max(1000, 'DUBAN_DB_POOL must be at most 1000')
      .default(10),
  ),
  DUBAN_DIRECTORY: z.preprocess(blankIsUnset, z.string().optional()),
  DUBAN_LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toUpperCase() : undefined),
    z
      .enum(
        ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'],
        'DUBAN_LOG_LEVEL must be one of trace, debug, info, warn, error',
      )
      .default('WARN'),
  ),
  DUBAN_TASK_QUEUE: z.preprocess(blankIsUnset, z.string().min(1).default('duban')),
  DUBAN_WORKFLOW_CACHE: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: 'DUBAN_WORKFLOW_CACHE must be a number of workflows' })
      .int('DUBAN_WORKFLOW_CACHE must be a whole number')
      .min(2, 'DUBAN_WORKFLOW_CACHE must be at least 2')
      .max(100_000, 'DUBAN_WORKFLOW_CACHE must be at most 100000')
      .default(100),
  ),
  // The worker's options, chosen from the bench's measurements (README, "Worker options").
  DUBAN_WORKFLOW_POLLERS: z.preprocess(blankIsUnset, count('DUBAN_WORKFLOW_POLLERS', 'pollers', 2, 100, 10)),
  DUBAN_ACTIVITY_POLLERS: z.preprocess(blankIsUnset, count('DUBAN_ACTIVITY_POLLERS', 'pollers', 1, 100, 10)),
  DUBAN_WORKFLOW_CONCURRENCY: z.preprocess(
    blankIsUnset,
    count('DUBAN_WORKFLOW_CONCURRENCY', 'workflow tasks', 2, 1000, 10),
  ),
  DUBAN_ACTIVITY_CONCURRENCY: z.preprocess(
    blankIsUnset,
    count('DUBAN_ACTIVITY_CONCURRENCY', 'activities', 1, 10_000, 100),
  ),
  DUBAN_STICKY_TIMEOUT: z.preprocess(blankIsUnset, count('DUBAN_STICKY_TIMEOUT', 'seconds', 1, 3600, 10)),
  DUBAN_START_CONCURRENCY: z.preprocess(
    blankIsUnset,
    count('DUBAN_START_CONCURRENCY', 'workflows', 1, 1000, 8),
  ),
  DUBAN_COMMAND_KEY: z.preprocess(blankIsUnset, z.string().optional()),
  DUBAN_COMMAND_KEY_FILE: z.preprocess(blankIsUnset, z.string().optional()),
  DUBAN_TRUST_PROXY: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(
        /^(false|off|no|true|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/,
        'DUBAN_TRUST_PROXY must be off, a hop count (1) or addresses/CIDRs (10.0.0.1,10.1.0.0/16)',
      )
      .optional(),
  ),
  DUBAN_SECURE_COOKIE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z.enum(['auto', 'always', 'never'], 'DUBAN_SECURE_COOKIE must be auto, always or never').default('auto'),
  ),
  DUBAN_SSE_MAX: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: 'DUBAN_SSE_MAX must be a number of connections' })
      .int('DUBAN_SSE_MAX must be a whole number')
      .min(1, 'DUBAN_SSE_MAX must be at least 1')
      .max(100_000, 'DUBAN_SSE_MAX must be at most 100000')
      .default(200),
  ),
  DUBAN_ATTACHMENT_MAX_MB: z.preprocess(blankIsUnset, count('DUBAN_ATTACHMENT_MAX_MB', 'MiB', 1, 1024, 20)),
  DUBAN_ATTACHMENT_STORE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z.enum(['file', 's3'], 'DUBAN_ATTACHMENT_STORE must be file or s3').default('file'),
  ),
  DUBAN_S3_ENDPOINT: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .regex(
        /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i,
        'DUBAN_S3_ENDPOINT must be an http(s) URL, e.g. https://s3.example.gov.cn',
      )
      .optional(),
  ),
  DUBAN_S3_BUCKET: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'DUBAN_S3_BUCKET must be a bucket name (3-63 of a-z 0-9 . -)',
      )
      .optional(),
  ),
  DUBAN_S3_REGION: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{1,40}$/, 'DUBAN_S3_REGION must be a region name, e.g. us-east-1 or cn-north-1')
      .default('us-east-1'),
  ),
  DUBAN_S3_PREFIX: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._\-/]{1,200}$/, 'DUBAN_S3_PREFIX must be at most 200 of A-Z a-z 0-9 . _ - /')
      .optional(),
  ),
  DUBAN_S3_ACCESS_KEY_ID: z.preprocess(blankIsUnset, z.string().trim().optional()),
  DUBAN_S3_ACCESS_KEY_ID_FILE: z.preprocess(blankIsUnset, z.string().optional()),
  DUBAN_S3_SECRET_ACCESS_KEY: z.preprocess(blankIsUnset, z.string().trim().optional()),
  DUBAN_S3_SECRET_ACCESS_KEY_FILE: z.preprocess(blankIsUnset, z.string().optional()),
  DUBAN_DIGEST_SCHEDULE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z
      .string()
      .regex(/^(off|([01]?\d|2[0-3]):[0-5]\d)$/, 'DUBAN_DIGEST_SCHEDULE must be off or "HH:MM", e.g. "08:00"')
      .default('08:00'),
  ),
  DUBAN_BULLETIN_SCHEDULE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z
      .string()
      .regex(
        /^(off|([1-9]|1\d|2[0-8]) ([01]?\d|2[0-3]):[0-5]\d)$/,
        'DUBAN_BULLETIN_SCHEDULE must be off or "DAY HH:MM" (day of the month 1-28), e.g. "1 09:00"',
      )
      .default('1 09:00'),
  ),
  DUBAN_DOCUMENT_PREFIX: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(
        /^[^\s〔〕[\]\d]{1,10}$/u,
        'DUBAN_DOCUMENT_PREFIX must be 1-10 characters without spaces, digits or brackets, e.g. 台督字',
      )
      .optional(),
  ),
  DUBAN_BULLETIN_FORMAT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z.enum(['docx', 'pdf'], 'DUBAN_BULLETIN_FORMAT must be docx or pdf').default('docx'),
  ),
  DUBAN_CARD_DEPARTMENT: z.preprocess(
    blankIsUnset,
    z.string().trim().min(1).max(100, 'DUBAN_CARD_DEPARTMENT is too long (max 100)').default('区环保局'),
  ),
  DUBAN_CARD_PERIOD: z.preprocess(blankIsUnset, count('DUBAN_CARD_PERIOD', 'days', 1, 3650, 30)),
  DUBAN_CARD_REMINDERS: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(
        /^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$/,
        'DUBAN_CARD_REMINDERS must be days before the deadline, comma-separated, e.g. "7,1"',
      )
      .refine(
        (v) => v.split(',').every((d) => Number(d) >= 1 && Number(d) <= 365),
        'DUBAN_CARD_REMINDERS: each must be 1 to 365 days',
      )
      .default('7,1'),
  ),
  DUBAN_CARD_SECONDS_PER_DAY: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: 'DUBAN_CARD_SECONDS_PER_DAY must be a number of seconds' })
      .int('DUBAN_CARD_SECONDS_PER_DAY must be a whole number')
      .min(1, 'DUBAN_CARD_SECONDS_PER_DAY must be at least 1')
      .max(86_400, 'DUBAN_CARD_SECONDS_PER_DAY must be at most 86400')
      .optional(),
  ),
});

/** Every variable the configuration reads: a DUBAN_* name not among them is a mistake (a deployment's typo). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Env.shape);

/** Fastify's `trustProxy`: false (the socket's address), a hop count, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

function trustProxyOf(v: string | undefined): TrustProxy {
  if (v === undefined || /^(false|off|no|0)$/i.test(v)) return false;
  // `true` trusts every hop, which lets any client name its own address: one hop is what was meant.
  if (/^true$/i.test(v)) return 1;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((a) => a.trim());
}

export interface Config {
  dataDir: string;
  temporal: {
    /** Set: use that server. Unset: run the embedded dev server on `port`. */
    address?: string;
    namespace: string;
    port: number;
    uiPort: number;
    taskQueue: string;
    /** How many workflows the worker keeps in memory (about 1.7 MiB each); others are replayed when woken. */
    workflowCache: number;
    /** Long polls the worker keeps open for workflow tasks (sticky and normal queue together). */
    workflowPollers: number;
    /**
     * Workflow tasks the worker holds at once. They run one at a time on its workflow thread while each
     * one's 10 s start-to-close clock runs, so more than it can finish in 10 s time out.
     */
    workflowConcurrency: number;
    /** Long polls for activity tasks. */
    activityPollers: number;
    /** Activities one worker runs at once. */
    activityConcurrency: number;
    /** How long a workflow task waits for this worker's sticky queue before it goes to any worker. */
    stickyTimeoutSeconds: number;
    /** How many workflows `plan start`, `task start` and the API start at once. */
    startConcurrency: number;
  };
  http: {
    port: number;
    host: string;
    /** Which proxies' X-Forwarded-For/-Proto to believe (DUBAN_TRUST_PROXY); off by default. */
    trustProxy: TrustProxy;
    /** The sign-in cookie's Secure flag: auto = when the request came over HTTPS. */
    secureCookie: 'auto' | 'always' | 'never';
    /** Live-feed (/events) connections at once, in all; each principal gets a share. */
    sseMax: number;
  };
  mail: { smtpUrl?: string; from: string; dir: string };
  /**
   * The store: `file` is the SQLite file's path, or the postgres:// URL (openStore takes either);
   * `pool` is how many PostgreSQL connections one process keeps at most.
   */
  db: { file: string; pool: number };
  /** The worker's log level (Temporal SDK logger). */
  logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** The departments' and officials' addresses (YAML). */
  directoryFile: string;
  /**
   * The key commands are sealed with (DUBAN_COMMAND_KEY, DUBAN_COMMAND_KEY_FILE, or the data folder's
   * command-key.pem that `npm start` makes on first start). Unset: none yet; tasks started without one
   * accept unsigned commands.
   */
  commandKey?: CommandKey;
  /** The daily digest mailed to leadership: at `hour`:`minute` Asia/Shanghai every day, or off. */
  digest: { schedule: { hour: number; minute: number } | 'off' };
  /**
   * The monthly 督查通报 mailed to leadership (last month's, every plan, the file attached): on the `day`
   * of each month at `hour`:`minute` Asia/Shanghai, or off.
   */
  bulletin: { schedule: { day: number; hour: number; minute: number } | 'off'; format: 'docx' | 'pdf' };
  /**
   * Uploaded files (佐证材料): kept content-addressed in `dir` (the data folder's attachments/), each at
   * most `maxBytes` (DUBAN_ATTACHMENT_MAX_MB, default 20 MiB); or, with `s3` (DUBAN_ATTACHMENT_STORE=s3),
   * as objects in an S3-compatible bucket instead.
   */
  attachments: { dir: string; maxBytes: number; s3?: S3Config };
  /**
   * 红黄牌: the department that registers, inspects and cards enterprises (besides the 督查室), a 黄牌's
   * period when it names no day, the reminders before its deadline, and (demonstrations) a day's length.
   */
  cards: { department: string; periodDays: number; reminderDaysBefore: number[]; secondsPerDay?: number };
  /** The 文号 series of the numbered 督办单 and 催办单: `台督字` numbers them 台督字〔2027〕12号. */
  documents: { prefix: string };
}

/** The 督查室's series unless DUBAN_DOCUMENT_PREFIX names another. */
export const DEFAULT_DOCUMENT_PREFIX = '台督字';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Where attachments are kept when DUBAN_ATTACHMENT_STORE=s3: a bucket, path-style, under a prefix. */
export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  /** '' for the bucket's root. */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export const SHIPPED_DIRECTORY = path.join(projectRoot(), 'directory', 'taierzhuang.yaml');

function sqlitePath(url: string, base: string): string {
  const p = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
  return path.resolve(base, p);
}

/** Reads the environment once; a wrong value is refused with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.DUBAN_DATA_DIR);
  const commandKey = readCommandKey(e, dataDir, cwd);
  const localDirectory = path.join(dataDir, 'directory.yaml');
  return {
    dataDir,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      port: e.DUBAN_TEMPORAL_PORT,
      uiPort: e.DUBAN_TEMPORAL_UI_PORT,
      taskQueue: e.DUBAN_TASK_QUEUE,
      workflowCache: e.DUBAN_WORKFLOW_CACHE,
      workflowPollers: e.DUBAN_WORKFLOW_POLLERS,
      workflowConcurrency: e.DUBAN_WORKFLOW_CONCURRENCY,
      activityPollers: e.DUBAN_ACTIVITY_POLLERS,
      activityConcurrency: e.DUBAN_ACTIVITY_CONCURRENCY,
      stickyTimeoutSeconds: e.DUBAN_STICKY_TIMEOUT,
      startConcurrency: e.DUBAN_START_CONCURRENCY,
    },
    http: {
      port: e.DUBAN_HTTP_PORT,
      host: e.DUBAN_HTTP_HOST,
      trustProxy: trustProxyOf(e.DUBAN_TRUST_PROXY),
      secureCookie: e.DUBAN_SECURE_COOKIE,
      sseMax: e.DUBAN_SSE_MAX,
    },
    mail: { smtpUrl: e.DUBAN_SMTP_URL, from: e.DUBAN_MAIL_FROM, dir: path.join(dataDir, 'mail') },
    db: {
      file: !e.DUBAN_DB_URL
        ? path.join(dataDir, 'duban.db')
        : isPostgres(e.DUBAN_DB_URL)
          ? e.DUBAN_DB_URL
          : sqlitePath(e.DUBAN_DB_URL, cwd),
      pool: e.DUBAN_DB_POOL,
    },
    logLevel: e.DUBAN_LOG_LEVEL,
    directoryFile: e.DUBAN_DIRECTORY
      ? path.resolve(cwd, e.DUBAN_DIRECTORY)
      : // the data folder's own directory wins over the shipped sample
        fs.existsSync(localDirectory)
        ? localDirectory
        : SHIPPED_DIRECTORY,
    commandKey,
    digest: { schedule: digestSchedule(e.DUBAN_DIGEST_SCHEDULE) },
    bulletin: { schedule: bulletinSchedule(e.DUBAN_BULLETIN_SCHEDULE), format: e.DUBAN_BULLETIN_FORMAT },
    attachments: {
      dir: path.join(dataDir, 'attachments'),
      maxBytes: e.DUBAN_ATTACHMENT_MAX_MB * 1024 * 1024,
      ...(e.DUBAN_ATTACHMENT_STORE === 's3' ? { s3: s3Config(e, cwd) } : {}),
    },
    cards: {
      department: e.DUBAN_CARD_DEPARTMENT,
      periodDays: e.DUBAN_CARD_PERIOD,
      reminderDaysBefore: e.DUBAN_CARD_REMINDERS.split(',').map((d) => Number(d.trim())),
      ...(e.DUBAN_CARD_SECONDS_PER_DAY ? { secondsPerDay: e.DUBAN_CARD_SECONDS_PER_DAY } : {}),
    },
    documents: { prefix: e.DUBAN_DOCUMENT_PREFIX ?? DEFAULT_DOCUMENT_PREFIX },
  };
}

/** "HH:MM", already checked by the schema. */
function timeOfDay(v: string): { hour: number; minute: number } {
  const [hour, minute] = v.split(':').map(Number);
  return { hour, minute };
}

function digestSchedule(v: string): Config['digest']['schedule'] {
  return v === 'off' ? 'off' : timeOfDay(v);
}

function bulletinSchedule(v: string): Config['bulletin']['schedule'] {
  if (v === 'off') return 'off';
  const [day, time] = v.split(' ');
  return { day: Number(day), ...timeOfDay(time) };
}

/** The key, for a process that seals commands or signals and must not run without one. */
export function requireCommandKey(config: Config): NonNullable<Config['commandKey']> {
  if (config.commandKey) return config.commandKey;
  throw new ConfigError(
    'invalid configuration:\n  DUBAN_COMMAND_KEY or DUBAN_COMMAND_KEY_FILE must be set: commands are sealed with it ' +
      '(the worker and the HTTP server need the same key; `npm start` makes one in the data folder)',
  );
}

/** The bucket's settings; a missing one is named, with the variable that gives it. */
function s3Config(
  e: Pick<
    z.infer<typeof Env>,
    | 'DUBAN_S3_ENDPOINT'
    | 'DUBAN_S3_BUCKET'
    | 'DUBAN_S3_REGION'
    | 'DUBAN_S3_PREFIX'
    | 'DUBAN_S3_ACCESS_KEY_ID'
    | 'DUBAN_S3_ACCESS_KEY_ID_FILE'
    | 'DUBAN_S3_SECRET_ACCESS_KEY'
    | 'DUBAN_S3_SECRET_ACCESS_KEY_FILE'
  >,
  cwd: string,
): S3Config {
  const missing = (name: string) =>
    new ConfigError(`invalid configuration:\n  ${name} must be set when DUBAN_ATTACHMENT_STORE is s3`);
  // A value or, for a Docker secret, a file holding it (its trailing newline is not part of it).
  const secret = (name: string, value: string | undefined, file: string | undefined) => {
    if (value) return value;
    if (!file) throw missing(`${name} (or ${name}_FILE)`);
    const f = path.resolve(cwd, file);
    if (!fs.existsSync(f)) throw new ConfigError(`invalid configuration:\n  ${name}_FILE: no such file ${f}`);
    const v = fs.readFileSync(f, 'utf8').trim();
    if (!v) throw new ConfigError(`invalid configuration:\n  ${name}_FILE: the file ${f} is empty`);
    return v;
  };
  if (!e.DUBAN_S3_ENDPOINT) throw missing('DUBAN_S3_ENDPOINT');
  if (!e.DUBAN_S3_BUCKET) throw missing('DUBAN_S3_BUCKET');
  return {
    endpoint: e.DUBAN_S3_ENDPOINT.replace(/\/+$/, ''),
    bucket: e.DUBAN_S3_BUCKET,
    region: e.DUBAN_S3_REGION,
    prefix: (e.DUBAN_S3_PREFIX ?? '').replace(/^\/+|\/+$/g, ''),
    accessKeyId: secret('DUBAN_S3_ACCESS_KEY_ID', e.DUBAN_S3_ACCESS_KEY_ID, e.DUBAN_S3_ACCESS_KEY_ID_FILE),
    secretAccessKey: secret(
      'DUBAN_S3_SECRET_ACCESS_KEY',
      e.DUBAN_S3_SECRET_ACCESS_KEY,
      e.DUBAN_S3_SECRET_ACCESS_KEY_FILE,
    ),
  };
}

function readCommandKey(
  e: { DUBAN_COMMAND_KEY?: string; DUBAN_COMMAND_KEY_FILE?: string },
  dataDir: string,
  cwd: string,
): CommandKey | undefined {
  try {
    if (e.DUBAN_COMMAND_KEY) return parseCommandKey(e.DUBAN_COMMAND_KEY, 'DUBAN_COMMAND_KEY');
    if (e.DUBAN_COMMAND_KEY_FILE) {
      const file = path.resolve(cwd, e.DUBAN_COMMAND_KEY_FILE);
      if (!fs.existsSync(file)) throw new Error(`DUBAN_COMMAND_KEY_FILE: no such file ${file}`);
      return readCommandKeyFile(file, `DUBAN_COMMAND_KEY_FILE (${file})`);
    }
    const made = commandKeyFile(dataDir);
    return fs.existsSync(made) ? readCommandKeyFile(made) : undefined;
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  ${err instanceof Error ? err.message : String(err)}`);
  }
}
