import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Where uploaded files are kept, content-addressed: a file is named by its sha256, so storing it twice
 * is storing it once, and what is read back can be proved to be what was uploaded. The filesystem store
 * is below; the S3-compatible one (s3-files.ts) implements the same four calls on a bucket (put = PUT
 * object `attachments/ab/cdef…`, get = GET, state = GET and hash, the bucket's own checksum being the
 * uploader's word).
 */
export interface FileStore {
  /** Stores the bytes; resolves with their sha256 (hex). */
  put(bytes: Buffer): Promise<string>;
  /** The bytes stored under the hash, or undefined when there are none. */
  get(sha256: string): Promise<Buffer | undefined>;
  /** Whether the file under the hash is there and still has that hash. */
  state(sha256: string): Promise<'intact' | 'missing' | 'changed'>;
  /** Where it is, for messages. */
  readonly location: string;
}

const HASH = /^[0-9a-f]{64}$/;
export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Files under `dir/ab/cdef…` (the hash's first two characters as a folder, the rest as the name). */
export function fileSystemStore(dir: string): FileStore {
  const fileOf = (sha256: string) => {
    // A hash is all a caller names; anything else could walk out of the folder.
    if (!HASH.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(dir, sha256.slice(0, 2), sha256.slice(2));
  };
  const read = async (sha256: string) => {
    try {
      return await fs.promises.readFile(fileOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  return {
    location: dir,
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const file = fileOf(sha256);
      if (fs.existsSync(file) && sha256Of(await fs.promises.readFile(file)) === sha256) return sha256;
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      // Written aside and renamed: a reader never sees half a file, two writers of one file agree.
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await fs.promises.writeFile(tmp, bytes, { flag: 'wx' });
      await fs.promises.rename(tmp, file);
      return sha256;
    },
    get: read,
    async state(sha256) {
      const bytes = HASH.test(sha256) ? await read(sha256) : undefined;
      if (!bytes) return 'missing';
      return sha256Of(bytes) === sha256 ? 'intact' : 'changed';
    },
  };
}
