import type { FileStore } from './files';
import { sha256Of } from './files';
import { s3Client, type S3Client, type S3Settings } from './s3';

export interface S3FileSettings extends S3Settings {
  /** Keys start with it (`duban/prod` → `duban/prod/attachments/ab/cdef…`); empty: the bucket's root. */
  prefix: string;
}

const HASH = /^[0-9a-f]{64}$/;

/** The object key of a file: `prefix/attachments/ab/cdef…`, as the filesystem store names its path. */
export function s3KeyOf(prefix: string, sha256: string): string {
  if (!HASH.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  const p = prefix.replace(/^\/+|\/+$/g, '');
  return `${p ? `${p}/` : ''}attachments/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
}

/**
 * Files as objects in an S3-compatible bucket. `state` reads the object back and hashes it: the bucket's
 * own ETag or checksum is the uploader's word, not a proof of what the ledger names.
 */
export function s3FileStore(settings: S3FileSettings, client: S3Client = s3Client(settings)): FileStore {
  const keyOf = (sha256: string) => s3KeyOf(settings.prefix, sha256);
  const prefix = settings.prefix.replace(/^\/+|\/+$/g, '');
  return {
    location: `${client.endpoint}/${settings.bucket}/${prefix ? `${prefix}/` : ''}attachments`,
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      // Content-addressed: writing the same bytes again changes nothing, and mends a changed object.
      await client.putObject(keyOf(sha256), bytes);
      return sha256;
    },
    get: (sha256) => client.getObject(keyOf(sha256)),
    async state(sha256) {
      const bytes = HASH.test(sha256) ? await client.getObject(keyOf(sha256)) : undefined;
      if (!bytes) return 'missing';
      return sha256Of(bytes) === sha256 ? 'intact' : 'changed';
    },
  };
}
