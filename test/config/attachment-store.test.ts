/**
 * Where attachments are kept: the data folder unless DUBAN_ATTACHMENT_STORE=s3, then a bucket whose every
 * setting is required and named when missing; the keys may come from files (Docker secrets).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config/config';

const cwd = '/srv/duban';
const S3 = {
  DUBAN_ATTACHMENT_STORE: 's3',
  DUBAN_S3_ENDPOINT: 'https://oss.example.gov.cn/',
  DUBAN_S3_BUCKET: 'duban-files',
  DUBAN_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  DUBAN_S3_SECRET_ACCESS_KEY: 'secret',
};

test('the data folder by default, and with DUBAN_ATTACHMENT_STORE=file', () => {
  for (const env of [{}, { DUBAN_ATTACHMENT_STORE: 'file', DUBAN_S3_BUCKET: 'ignored' }]) {
    const c = loadConfig(env, cwd);
    expect(c.attachments).toEqual({ dir: '/srv/duban/data/attachments', maxBytes: 20 * 1024 * 1024 });
  }
});

test('s3: the bucket as configured, region us-east-1 unless given, the prefix without slashes', () => {
  expect(loadConfig(S3, cwd).attachments.s3).toEqual({
    endpoint: 'https://oss.example.gov.cn',
    bucket: 'duban-files',
    region: 'us-east-1',
    prefix: '',
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'secret',
  });
  const c = loadConfig({ ...S3, DUBAN_S3_REGION: 'cn-north-1', DUBAN_S3_PREFIX: '/duban/prod/' }, cwd);
  expect(c.attachments.s3).toMatchObject({ region: 'cn-north-1', prefix: 'duban/prod' });
});

test.each([
  ['DUBAN_S3_ENDPOINT', 'DUBAN_S3_ENDPOINT must be set when DUBAN_ATTACHMENT_STORE is s3'],
  ['DUBAN_S3_BUCKET', 'DUBAN_S3_BUCKET must be set when DUBAN_ATTACHMENT_STORE is s3'],
  [
    'DUBAN_S3_ACCESS_KEY_ID',
    'DUBAN_S3_ACCESS_KEY_ID (or DUBAN_S3_ACCESS_KEY_ID_FILE) must be set when DUBAN_ATTACHMENT_STORE is s3',
  ],
  [
    'DUBAN_S3_SECRET_ACCESS_KEY',
    'DUBAN_S3_SECRET_ACCESS_KEY (or DUBAN_S3_SECRET_ACCESS_KEY_FILE) must be set when DUBAN_ATTACHMENT_STORE is s3',
  ],
])('s3 without %s is refused, naming it', (name, message) => {
  const env: Record<string, string> = { ...S3, [name]: '' };
  expect(() => loadConfig(env, cwd)).toThrow(ConfigError);
  expect(() => loadConfig(env, cwd)).toThrow(message);
});

test.each([
  [{ DUBAN_ATTACHMENT_STORE: 'minio' }, 'DUBAN_ATTACHMENT_STORE must be file or s3'],
  [{ ...S3, DUBAN_S3_ENDPOINT: 'oss.example.gov.cn' }, 'DUBAN_S3_ENDPOINT must be an http(s) URL'],
  [{ ...S3, DUBAN_S3_BUCKET: 'Duban_Files' }, 'DUBAN_S3_BUCKET must be a bucket name'],
  [{ ...S3, DUBAN_S3_REGION: 'US East' }, 'DUBAN_S3_REGION must be a region name'],
  [{ ...S3, DUBAN_S3_PREFIX: 'a b' }, 'DUBAN_S3_PREFIX must be at most 200 of'],
])('a wrong value is refused, naming the variable (%j)', (env, message) => {
  expect(() => loadConfig(env, cwd)).toThrow(ConfigError);
  expect(() => loadConfig(env, cwd)).toThrow(message);
});

test('the keys may be files (Docker secrets); a missing file is named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-s3-config-'));
  try {
    fs.writeFileSync(path.join(dir, 'id'), 'AKIDFROMFILE\n');
    fs.writeFileSync(path.join(dir, 'secret'), 'from-file\n');
    const { DUBAN_S3_ACCESS_KEY_ID: _id, DUBAN_S3_SECRET_ACCESS_KEY: _secret, ...rest } = S3;
    const c = loadConfig(
      {
        ...rest,
        DUBAN_S3_ACCESS_KEY_ID_FILE: 'id',
        DUBAN_S3_SECRET_ACCESS_KEY_FILE: path.join(dir, 'secret'),
      },
      dir,
    );
    expect(c.attachments.s3).toMatchObject({ accessKeyId: 'AKIDFROMFILE', secretAccessKey: 'from-file' });
    // The value itself wins over its file.
    expect(
      loadConfig({ ...S3, DUBAN_S3_SECRET_ACCESS_KEY_FILE: 'nowhere' }, dir).attachments.s3?.secretAccessKey,
    ).toBe('secret');
    expect(() =>
      loadConfig({ ...rest, DUBAN_S3_ACCESS_KEY_ID: 'x', DUBAN_S3_SECRET_ACCESS_KEY_FILE: 'nowhere' }, dir),
    ).toThrow(`DUBAN_S3_SECRET_ACCESS_KEY_FILE: no such file ${path.join(dir, 'nowhere')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
