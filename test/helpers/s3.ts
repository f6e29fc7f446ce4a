import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A real S3-compatible server for tests: moto's server, from PyPI into a git-ignored venv (once), on a free
 * port of 127.0.0.1. It checks SigV4 signatures: the helper makes an IAM user with an access key allowed
 * everything on S3, then turns moto's authentication on, so a wrongly signed request is refused as AWS
 * refuses it.
 */
export interface S3Server {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

const MOTO_VERSION = '5.2.5';
const ROOT = path.join(__dirname, '..', '..');
const CACHE = process.env.DUBAN_CACHE_DIR ?? path.join(ROOT, '.cache');
const VENV = path.join(CACHE, 'moto', 'venv');
const MARKER = path.join(VENV, `.duban-moto-${MOTO_VERSION}`);
const LOCK = path.join(CACHE, 'moto', 'installing');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Installs moto[server] into the venv unless it is there; a second installer waits for the first. */
async function ensureMoto(): Promise<string> {
  const bin = path.join(VENV, 'bin', 'moto_server');
  if (fs.existsSync(MARKER)) return bin;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  try {
    fs.mkdirSync(LOCK);
  } catch {
    const deadline = Date.now() + 10 * 60_000;
    while (!fs.existsSync(MARKER)) {
      if (Date.now() > deadline)
        throw new Error(`moto is being installed by another process (remove ${LOCK} if none is)`);
      await sleep(1000);
    }
    return bin;
  }
  try {
    process.stderr.write(`[s3] installing moto[server]==${MOTO_VERSION} from PyPI into ${VENV}\n`);
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(
      path.join(VENV, 'bin', 'pip'),
      ['install', '--disable-pip-version-check', '--quiet', `moto[server]==${MOTO_VERSION}`],
      { stdio: 'inherit' },
    );
    fs.writeFileSync(MARKER, '');
    return bin;
  } finally {
    fs.rmdirSync(LOCK);
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

const xmlField = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

export async function startS3Server(): Promise<S3Server> {
  const bin = await ensureMoto();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async () => {
    if (!gone) child.kill('SIGTERM');
    await exited;
  };

  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (gone) throw new Error(`moto_server exited:\n${log}`);
      const up = await fetch(`${endpoint}/moto-api/`).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint}:\n${log}`);
      await sleep(200);
    }

    // IAM calls while moto still takes any request; the credential scope routes them to its IAM.
    const iam = async (params: Record<string, string>) => {
      const r = await fetch(`${endpoint}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization:
            'AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`moto IAM ${params.Action}: ${r.status} ${text}`);
      return text;
    };
    await iam({ Action: 'CreateUser', UserName: 'duban' });
    const key = await iam({ Action: 'CreateAccessKey', UserName: 'duban' });
    await iam({
      Action: 'PutUserPolicy',
      UserName: 'duban',
      PolicyName: 's3',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      }),
    });
    const accessKeyId = xmlField(key, 'AccessKeyId');
    const secretAccessKey = xmlField(key, 'SecretAccessKey');
    if (!accessKeyId || !secretAccessKey) throw new Error(`moto IAM CreateAccessKey answered:\n${key}`);
    const auth = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    if (!auth.ok) throw new Error(`moto reset-auth: ${auth.status} ${await auth.text()}`);
    return { endpoint, region: 'us-east-1', accessKeyId, secretAccessKey, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
