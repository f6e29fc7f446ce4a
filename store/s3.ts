import { createHash, createHmac } from 'node:crypto';

/**
 * A small S3 client over fetch, signed with AWS Signature Version 4: the four object calls duban's file
 * store needs and the bucket's creation. Path-style URLs (`endpoint/bucket/key`), so MinIO, Ceph and other
 * S3-compatible servers answer as AWS does. No SDK: the protocol is one header, and the payload is signed
 * by its sha256 (which the server checks, so bytes damaged on the way are refused).
 */
export interface S3Settings {
  /** e.g. `https://s3.example.gov.cn` or `http://127.0.0.1:9000` (a path after the host is kept). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3Response {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** A refused S3 request: the endpoint, the request and the server's error code say what went wrong. */
export class S3Error extends Error {
  override name = 'S3Error';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface S3Client {
  readonly endpoint: string;
  readonly bucket: string;
  /** The object's bytes, or undefined when there is none (404). */
  getObject(key: string): Promise<Buffer | undefined>;
  putObject(key: string, bytes: Buffer): Promise<void>;
  /** The object's size, or undefined when there is none. */
  headObject(key: string): Promise<{ size: number } | undefined>;
  deleteObject(key: string): Promise<void>;
  createBucket(): Promise<void>;
  /** One signed request, any answer returned as it came (`key` empty: the bucket itself). */
  send(method: 'GET' | 'PUT' | 'HEAD' | 'DELETE', key: string, body?: Buffer): Promise<S3Response>;
}

const sha256Hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

/** RFC 3986 encoding of one path segment, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const encodeSegment = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The Authorization header's parts for one request (exported for the signature's known-answer test). */
export function signV4(o: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  payloadSha256: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  amzDate: string;
}): string {
  const date = o.amzDate.slice(0, 8);
  const scope = `${date}/${o.region}/s3/aws4_request`;
  const names = Object.keys(o.headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(o.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((h) => `${h}:${lower[h].trim().replace(/\s+/g, ' ')}\n`).join('');
  const query = [...o.url.searchParams]
    .map(([k, v]) => [encodeSegment(k), encodeSegment(v)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    o.method,
    o.url.pathname,
    query,
    canonicalHeaders,
    names.join(';'),
    o.payloadSha256,
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', o.amzDate, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${o.secretAccessKey}`, date);
  for (const part of [o.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${o.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

const xmlField = (xml: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim();

const REQUEST_TIMEOUT_MS = 60_000;

export function s3Client(s: S3Settings): S3Client {
  const base = new URL(s.endpoint);
  const basePath = base.pathname.replace(/\/+$/, '');
  const endpoint = `${base.origin}${basePath}`;
  const urlOf = (key: string) =>
    new URL(
      `${basePath}/${encodeSegment(s.bucket)}${key ? '/' + key.split('/').map(encodeSegment).join('/') : ''}`,
      base.origin,
    );

  const send: S3Client['send'] = async (method, key, body) => {
    const url = urlOf(key);
    const payloadSha256 = sha256Hex(body ?? '');
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const headers: Record<string, string> = {
      host: url.host,
      'x-amz-content-sha256': payloadSha256,
      'x-amz-date': amzDate,
    };
    const authorization = signV4({ method, url, headers, payloadSha256, amzDate, ...s });
    let r: Response;
    try {
      r = await fetch(url, {
        method,
        headers: { ...headers, authorization },
        body: body && method === 'PUT' ? new Uint8Array(body) : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
      throw new S3Error(0, 'NetworkError', `S3 ${method} ${url.href}: no answer from ${endpoint} (${why})`);
    }
    return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
  };

  /** The answer when it is 2xx (or 404 and `absent` allows it); otherwise an S3Error with the code. */
  const ok = async (method: 'GET' | 'PUT' | 'HEAD' | 'DELETE', key: string, body?: Buffer) => {
    const r = await send(method, key, body);
    if (r.status >= 200 && r.status < 300) return r;
    if (r.status === 404 && key && method !== 'PUT') return undefined;
    const xml = r.body.toString('utf8');
    const code = xmlField(xml, 'Code') ?? `HTTP${r.status}`;
    const detail = xmlField(xml, 'Message');
    throw new S3Error(
      r.status,
      code,
      `S3 ${method} ${urlOf(key).href} at ${endpoint} refused: ${r.status} ${code}${detail ? `: ${detail}` : ''}`,
    );
  };

  return {
    endpoint,
    bucket: s.bucket,
    send,
    async getObject(key) {
      return (await ok('GET', key))?.body;
    },
    async putObject(key, bytes) {
      await ok('PUT', key, bytes);
    },
    async headObject(key) {
      const r = await ok('HEAD', key);
      return r ? { size: Number(r.headers.get('content-length') ?? 0) } : undefined;
    },
    async deleteObject(key) {
      await ok('DELETE', key);
    },
    async createBucket() {
      // Outside us-east-1 a bucket is made where its configuration says.
      const where =
        s.region === 'us-east-1'
          ? undefined
          : Buffer.from(
              `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
                `<LocationConstraint>${s.region}</LocationConstraint></CreateBucketConfiguration>`,
            );
      await ok('PUT', '', where);
    },
  };
}
