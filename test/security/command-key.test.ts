/**
 * The command key: read once by config from DUBAN_COMMAND_KEY, DUBAN_COMMAND_KEY_FILE or the data folder's
 * command-key.pem (made by `npm start` on first start, mode 0600); a wrong value is refused by name and
 * the key itself is never printed. A seal made with it verifies in the domain, and only for what it sealed.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, requireCommandKey } from '../../config/config';
import { commandKeyFile, createCommandKeyFile } from '../../config/command-key';
import { BAD_SIGNATURE, STALE_SIGNATURE, UNSIGNED_COMMAND, sealCommand, sealRefusal } from '../../domain';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-key-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const { privateKey } = generateKeyPairSync('ed25519');
const pem = String(privateKey.export({ format: 'pem', type: 'pkcs8' }));
const der = privateKey.export({ format: 'der', type: 'pkcs8' });
const seed = der.subarray(der.length - 32);

test('one key from any of its spellings: PEM, base64 PKCS#8, a 32-byte seed in base64 or hex', () => {
  const keys = [pem, der.toString('base64'), seed.toString('base64'), seed.toString('hex')].map(
    (k) => loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_COMMAND_KEY: k }, tmp).commandKey?.publicKey,
  );
  expect(new Set(keys).size).toBe(1);
  expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
});

test('a wrong key is refused by the variable, and the value is not repeated', () => {
  const bad = 'c2VjcmV0LW5vdC1hLWtleQ==';
  expect(() => loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_COMMAND_KEY: bad }, tmp)).toThrow(ConfigError);
  try {
    loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_COMMAND_KEY: bad }, tmp);
  } catch (err) {
    expect(String(err)).toContain('DUBAN_COMMAND_KEY');
    expect(String(err)).not.toContain(bad);
  }
  const { privateKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const rsaPem = String(rsa.export({ format: 'pem', type: 'pkcs8' }));
  expect(() => loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_COMMAND_KEY: rsaPem }, tmp)).toThrow(/Ed25519/);
  expect(() => loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_COMMAND_KEY_FILE: 'missing.pem' }, tmp)).toThrow(
    /DUBAN_COMMAND_KEY_FILE: no such file/,
  );
});

test("the data folder's key, made once with mode 0600, is what every process of that folder reads", () => {
  expect(loadConfig({ DUBAN_DATA_DIR: tmp }, tmp).commandKey).toBeUndefined();
  expect(() => requireCommandKey(loadConfig({ DUBAN_DATA_DIR: tmp }, tmp))).toThrow(/DUBAN_COMMAND_KEY/);
  const file = commandKeyFile(tmp);
  const made = createCommandKeyFile(file);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  // Made again (two processes at first start): the first one's is kept.
  expect(createCommandKeyFile(file).publicKey).toBe(made.publicKey);
  const config = loadConfig({ DUBAN_DATA_DIR: tmp }, tmp);
  expect(config.commandKey?.publicKey).toBe(made.publicKey);
  // Nothing secret in the configuration as printed or serialised.
  const body = fs.readFileSync(file, 'utf8').split('\n')[1];
  expect(JSON.stringify(config)).not.toContain(body);
});

test('a seal verifies for exactly what it sealed, with its key, near its time', () => {
  const key = createCommandKeyFile(path.join(tmp, 'a.pem'));
  const other = createCommandKeyFile(path.join(tmp, 'b.pem'));
  const now = '2030-01-01T01:00:00.000Z';
  const f = {
    workflowId: 'task/p/1',
    name: 'cancel',
    updateId: 'u1',
    payload: { actor: '督查室', reason: '中文 🎯' },
  };
  const seal = sealCommand(key.sign, f, now);
  expect(sealRefusal(key.publicKey, f, seal, now)).toBeUndefined();
  // Key order in the payload does not matter: the text signed is canonical.
  expect(
    sealRefusal(key.publicKey, { ...f, payload: { reason: '中文 🎯', actor: '督查室' } }, seal, now),
  ).toBeUndefined();
  expect(sealRefusal(other.publicKey, f, seal, now)).toBe(BAD_SIGNATURE);
  expect(sealRefusal(key.publicKey, { ...f, workflowId: 'task/p/2' }, seal, now)).toBe(BAD_SIGNATURE);
  expect(sealRefusal(key.publicKey, { ...f, name: 'verifyCompletion' }, seal, now)).toBe(BAD_SIGNATURE);
  expect(sealRefusal(key.publicKey, { ...f, updateId: 'u2' }, seal, now)).toBe(BAD_SIGNATURE);
  expect(
    sealRefusal(key.publicKey, { ...f, payload: { ...f.payload, actor: 'supervisor' } }, seal, now),
  ).toBe(BAD_SIGNATURE);
  expect(sealRefusal(key.publicKey, f, { ...seal, issuedAt: '2030-01-01T01:00:01.000Z' }, now)).toBe(
    BAD_SIGNATURE,
  );
  expect(sealRefusal(key.publicKey, f, seal, '2030-01-01T01:06:00.000Z')).toBe(STALE_SIGNATURE);
  expect(
    sealRefusal(key.publicKey, f, seal, '2030-01-01T01:06:00.000Z', { checkTime: false }),
  ).toBeUndefined();
  for (const missing of [undefined, null, {}, 'sig', { issuedAt: now }])
    expect(sealRefusal(key.publicKey, f, missing, now)).toBe(UNSIGNED_COMMAND);
  expect(sealRefusal(key.publicKey, f, { issuedAt: now, signature: 'zz' }, now)).toBe(BAD_SIGNATURE);
});
