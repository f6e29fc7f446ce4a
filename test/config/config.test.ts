import path from 'node:path';
import { ConfigError, loadConfig, SHIPPED_DIRECTORY } from '../../config/config';

const cwd = '/srv/duban';

test('embedded defaults', () => {
  const c = loadConfig({}, cwd);
  expect(c).toMatchObject({
    dataDir: '/srv/duban/data',
    temporal: { address: undefined, namespace: 'default', port: 7233, uiPort: 8233, taskQueue: 'duban' },
    http: { port: 3000, host: '127.0.0.1' },
    mail: { smtpUrl: undefined, from: '督查室 <duban@localhost>', dir: '/srv/duban/data/mail' },
    db: { file: '/srv/duban/data/duban.db' },
    logLevel: 'WARN',
    directoryFile: SHIPPED_DIRECTORY,
  });
});

test('values from the environment', () => {
  const c = loadConfig(
    {
      DUBAN_DATA_DIR: '/var/lib/duban',
      TEMPORAL_ADDRESS: 'temporal:7233',
      DUBAN_HTTP_PORT: '8080',
      DUBAN_SMTP_URL: 'smtp://mailpit:1025',
      DUBAN_DB_URL: 'sqlite:/data/x.db',
      DUBAN_DIRECTORY: 'dir.yaml',
      DUBAN_LOG_LEVEL: 'info',
    },
    cwd,
  );
  expect(c.temporal.address).toBe('temporal:7233');
  expect(c.http.port).toBe(8080);
  expect(c.mail).toMatchObject({ smtpUrl: 'smtp://mailpit:1025', dir: '/var/lib/duban/mail' });
  expect(c.db.file).toBe('/data/x.db');
  expect(c.directoryFile).toBe(path.join(cwd, 'dir.yaml'));
  expect(c.logLevel).toBe('INFO');
});

test.each([
  [{ DUBAN_HTTP_PORT: 'eighty' }, 'DUBAN_HTTP_PORT: DUBAN_HTTP_PORT must be a port number'],
  [{ DUBAN_TEMPORAL_PORT: '70000' }, 'DUBAN_TEMPORAL_PORT: DUBAN_TEMPORAL_PORT must be between 1 and 65535'],
  [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS: TEMPORAL_ADDRESS must be host:port'],
  [
    { DUBAN_SMTP_URL: 'mail.example:25' },
    'DUBAN_SMTP_URL: DUBAN_SMTP_URL must start with smtp:// or smtps://',
  ],
  [{ DUBAN_MAIL_FROM: 'nobody' }, 'DUBAN_MAIL_FROM: DUBAN_MAIL_FROM must be a mail address'],
  [{ DUBAN_DB_URL: 'mysql://u@h/db' }, 'DUBAN_DB_URL: DUBAN_DB_URL must be a SQLite file'],
  [
    { DUBAN_DB_URL: 'postgres://u@h' },
    'DUBAN_DB_URL: DUBAN_DB_URL is not a usable PostgreSQL URL (no database name)',
  ],
  [{ DUBAN_DB_URL: 'postgres://u@h:99999/db' }, 'DUBAN_DB_URL: DUBAN_DB_URL is not a usable PostgreSQL URL'],
  [{ DUBAN_DB_URL: 'postgres:/db' }, 'DUBAN_DB_URL: DUBAN_DB_URL is not a usable PostgreSQL URL'],
  [{ DUBAN_DB_POOL: '0' }, 'DUBAN_DB_POOL: DUBAN_DB_POOL must be at least 1'],
  [{ DUBAN_DB_POOL: 'many' }, 'DUBAN_DB_POOL: DUBAN_DB_POOL must be a number of connections'],
  [{ DUBAN_LOG_LEVEL: 'loud' }, 'DUBAN_LOG_LEVEL: DUBAN_LOG_LEVEL must be one of'],
  [
    { DUBAN_STICKY_TIMEOUT: 'soon' },
    'DUBAN_STICKY_TIMEOUT: DUBAN_STICKY_TIMEOUT must be a number of seconds',
  ],
  [{ DUBAN_WORKFLOW_CONCURRENCY: '1' }, 'DUBAN_WORKFLOW_CONCURRENCY must be at least 2'],
  [{ DUBAN_START_CONCURRENCY: '2.5' }, 'DUBAN_START_CONCURRENCY must be a whole number'],
  [{ DUBAN_ACTIVITY_POLLERS: '0' }, 'DUBAN_ACTIVITY_POLLERS must be at least 1'],
])('%j is refused naming the variable', (env, message) => {
  expect(() => loadConfig(env, cwd)).toThrow(ConfigError);
  expect(() => loadConfig(env, cwd)).toThrow(message);
});

test("the worker's options: the measured defaults, or the values given", () => {
  expect(loadConfig({}, cwd).temporal).toMatchObject({
    workflowCache: 100,
    workflowConcurrency: 10,
    workflowPollers: 10,
    activityPollers: 10,
    activityConcurrency: 100,
    stickyTimeoutSeconds: 10,
    startConcurrency: 8,
  });
  const given = loadConfig({ DUBAN_STICKY_TIMEOUT: '15', DUBAN_START_CONCURRENCY: '32' }, cwd).temporal;
  expect(given).toMatchObject({ stickyTimeoutSeconds: 15, startConcurrency: 32 });
});

test('a PostgreSQL URL is the store as given, with the pool size', () => {
  const url = 'postgres://duban:s3cret@db.example:5432/duban';
  expect(loadConfig({ DUBAN_DB_URL: url }, cwd).db).toEqual({ file: url, pool: 10 });
  expect(loadConfig({ DUBAN_DB_URL: 'postgresql://h/duban', DUBAN_DB_POOL: '25' }, cwd).db).toEqual({
    file: 'postgresql://h/duban',
    pool: 25,
  });
});
