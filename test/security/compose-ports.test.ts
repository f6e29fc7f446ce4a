/**
 * Finding: docker-compose.yml published Temporal's 7233, its UI and Mailpit on every interface, and
 * anyone reaching 7233 could command any task. Now only the HTTP server's port is published; the UI and
 * Mailpit are on this host's loopback only; the command key comes from a secret file, not the file itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../config/config';
import { createCommandKeyFile } from '../../config/command-key';

interface Service {
  ports?: (string | { published?: string | number; target?: number; host_ip?: string })[];
  environment?: Record<string, string | number> | string[];
  networks?: string[] | Record<string, unknown>;
  secrets?: string[];
}
const root = path.join(__dirname, '..', '..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  networks?: Record<string, { internal?: boolean } | null>;
  secrets?: Record<string, { file?: string }>;
};
const services = Object.entries(compose.services);

/** `[host_ip:]published:target` -> its parts (short syntax; the long one as it is). */
function published(p: NonNullable<Service['ports']>[number]) {
  if (typeof p !== 'string')
    return { host: p.host_ip, published: String(p.published), target: String(p.target) };
  const parts = p.split(':');
  const [target, pub, host] = [parts.pop(), parts.pop(), parts.join(':') || undefined];
  return { host, published: pub ?? target, target };
}

const env = (s: Service): Record<string, string> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(s.environment.map((kv) => kv.split(/=(.*)/s).slice(0, 2)))
    : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));

test("the only port published on every interface is the HTTP server's", () => {
  const open = services.flatMap(([name, s]) =>
    (s.ports ?? [])
      .map(published)
      .filter((p) => p.host !== '127.0.0.1')
      .map((p) => ({ name, ...p })),
  );
  expect(open).toEqual([{ name: 'api', host: undefined, published: '3000', target: '3000' }]);
  expect(env(compose.services.api).DUBAN_HTTP_PORT).toBe('3000');
});

test('no service publishes 7233; Temporal and PostgreSQL publish nothing, on an internal network', () => {
  for (const [, s] of services)
    for (const p of (s.ports ?? []).map(published)) {
      expect(p.published).not.toBe('7233');
      expect(p.target).not.toBe('7233');
    }
  expect(compose.services.temporal.ports).toBeUndefined();
  expect(compose.services.postgresql.ports).toBeUndefined();
  expect(compose.services.temporal.networks).toEqual(['backend']);
  expect(compose.services.postgresql.networks).toEqual(['backend']);
  expect(compose.networks?.backend?.internal).toBe(true);
});

test('the command key is a secret file for the worker and the API, never a value in the file', () => {
  for (const name of ['worker', 'api']) {
    const e = env(compose.services[name]);
    expect(e.DUBAN_COMMAND_KEY).toBeUndefined();
    expect(e.DUBAN_COMMAND_KEY_FILE).toBe('/run/secrets/command_key');
    expect(compose.services[name].secrets).toEqual(['command_key']);
  }
  expect(compose.secrets?.command_key?.file).toBe('./secrets/command-key.pem');
});

test("every DUBAN_* value the file sets passes the configuration's own checks", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-compose-'));
  try {
    // The secret as the container sees it, in a place this test can write.
    const secret = path.join(tmp, 'command_key');
    const key = createCommandKeyFile(secret);
    for (const name of ['worker', 'api']) {
      const e = env(compose.services[name]);
      const set = Object.fromEntries(Object.entries(e).filter(([k]) => /^(DUBAN|TEMPORAL)_/.test(k)));
      expect(Object.keys(set).length).toBeGreaterThan(3);
      const config = loadConfig({ ...set, DUBAN_COMMAND_KEY_FILE: secret }, tmp);
      expect(config.commandKey?.publicKey).toBe(key.publicKey);
      expect(config.temporal.address).toBe('temporal:7233');
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
