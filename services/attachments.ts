import type { Config } from '../config/config';
import {
  fileSystemStore,
  s3FileStore,
  type AttachmentRecord,
  type FileStore,
  type LedgerVerification,
  type Store,
} from '../store';
import { BadInput, FileRefused } from './errors';
import { ACCEPTED_EXTENSIONS, extensionOf, sniff } from './file-types';

// 佐证材料: files uploaded to a task, then named by their sha256 in the commands that carry them. Every
// interface (API, dashboard, CLI) goes through here, so a file is checked and recorded one way.

export interface UploadedFile {
  /** The name it was sent under (only its last part is kept). */
  name: string;
  bytes: Buffer;
}

/** What an upload answers with, per file. */
export type AttachmentInfo = Pick<AttachmentRecord, 'sha256' | 'name' | 'size' | 'type'>;

export type AttachmentStore = Pick<
  Store,
  'addAttachment' | 'attachmentTasks' | 'taskAttachments' | 'ledgerAttachments' | 'verifyLedger'
>;

export interface AttachmentService {
  /** The largest file taken, in bytes. */
  readonly maxBytes: number;
  /** Checks every file (size, kind) before any is stored; refuses with FileRefused naming the file. */
  upload(workflowId: string, files: readonly UploadedFile[], by: string): Promise<AttachmentInfo[]>;
  /** The tasks the file was uploaded to (none: unknown), and its bytes. */
  find(sha256: string): Promise<{ records: AttachmentRecord[]; bytes?: Buffer }>;
  /** The files uploaded to a task. */
  forTask(workflowId: string): Promise<AttachmentRecord[]>;
  /** Refuses (BadInput, field `attachments`) the first hash that is not a file uploaded to this task. */
  checkCommand(workflowId: string, hashes: readonly string[]): Promise<void>;
  /** The hash chain, then every attachment it names against the file stored under its hash. */
  verifyLedger(): Promise<LedgerVerification & { files: number }>;
}

const MiB = 1024 * 1024;
export const sizeText = (bytes: number) =>
  bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** The name's last part, without control characters, at most 200 characters. */
export function cleanName(name: string): string {
  const last = (name.split(/[\\/]/).pop() ?? '').replace(UNPRINTABLE, '');
  const t = last.trim();
  return t.length > 200 ? t.slice(t.length - 200) : t;
}

export function tooLarge(name: string, maxBytes: number): FileRefused {
  return new FileRefused(
    413,
    'too_large',
    name,
    `文件「${name}」过大（最大 ${sizeText(maxBytes)}） / the file "${name}" is too large (at most ${sizeText(maxBytes)})`,
  );
}

const accepted = ACCEPTED_EXTENSIONS.join(' ');

/**
 * Refuses (BadInput, field `attachments`) the first hash that is not a file uploaded to this task: a
 * command names only files its task holds, so what the ledger names can be fetched and proved.
 */
export async function checkAttachments(
  store: Partial<Pick<Store, 'taskAttachments'>>,
  workflowId: string,
  hashes: readonly string[],
): Promise<void> {
  if (hashes.length === 0) return;
  const known = new Set(
    store.taskAttachments ? (await store.taskAttachments(workflowId)).map((a) => a.sha256) : [],
  );
  const unknown = hashes.find((h) => !known.has(h));
  if (unknown !== undefined)
    throw new BadInput(
      'attachments',
      `attachments: ${unknown} 不是已上传到本任务的文件，请先上传 / ` +
        `attachments: ${unknown} is not a file uploaded to this task: upload it first`,
    );
}

export function createAttachmentService(o: {
  store: AttachmentStore;
  files: FileStore;
  maxBytes: number;
  now?: () => string;
}): AttachmentService {
  const { store, files, maxBytes } = o;
  const now = o.now ?? (() => new Date().toISOString());

  const checked = (f: UploadedFile) => {
    const name = cleanName(f.name);
    if (!name)
      throw new BadInput('file', 'file: 请给出文件名 / file: the file needs a name (e.g. 现场照片.jpg)');
    if (f.bytes.length > maxBytes) throw tooLarge(name, maxBytes);
    const kind = sniff(f.bytes);
    if (!kind)
      throw new FileRefused(
        415,
        'unsupported_type',
        name,
        `文件「${name}」的类型不受支持，请上传 ${accepted} / the file "${name}" is not of a kind duban takes: upload ${accepted}`,
      );
    if (!(kind.extensions as readonly string[]).includes(extensionOf(name)))
      throw new FileRefused(
        415,
        'unsupported_type',
        name,
        `文件「${name}」的内容是 ${kind.label}，与文件名不符 / the file "${name}" holds ${kind.label}, not what its name says`,
      );
    return { name, bytes: f.bytes, type: kind.type };
  };

  return {
    maxBytes,

    async upload(workflowId, sent, by) {
      if (sent.length === 0) throw new BadInput('file', 'file: 请选择要上传的文件 / file: no file was sent');
      const ok = sent.map(checked);
      const at = now();
      const out: AttachmentInfo[] = [];
      for (const f of ok) {
        const sha256 = await files.put(f.bytes);
        const r = await store.addAttachment({
          sha256,
          workflowId,
          name: f.name,
          size: f.bytes.length,
          type: f.type,
          uploadedBy: by,
          uploadedAt: at,
        });
        out.push({ sha256, name: r.name, size: r.size, type: r.type });
      }
      return out;
    },

    async find(sha256) {
      const records = await store.attachmentTasks(sha256);
      return records.length ? { records, bytes: await files.get(sha256) } : { records };
    },

    forTask: (workflowId) => store.taskAttachments(workflowId),

    checkCommand: (workflowId, hashes) => checkAttachments(store, workflowId, hashes),

    async verifyLedger() {
      const chain = await store.verifyLedger();
      if (!chain.ok) return { ...chain, files: 0 };
      const named = await store.ledgerAttachments();
      const seen = new Set<string>();
      for (const a of named) {
        if (seen.has(a.sha256)) continue;
        const state = await files.state(a.sha256);
        if (state !== 'intact')
          return {
            ok: false,
            rows: chain.rows,
            firstBadId: a.id,
            files: seen.size,
            problem: `row ${a.id} (${a.workflowId} #${a.seq}) names the attachment ${a.sha256}, ${
              state === 'missing'
                ? `which is missing from ${files.location}`
                : 'whose stored file was changed: its content no longer has that hash'
            }`,
          };
        seen.add(a.sha256);
      }
      return { ...chain, files: seen.size };
    },
  };
}

/** The service as the configuration says: the bucket or the data folder's file store, its size limit. */
export function attachmentsFromConfig(
  config: Pick<Config, 'attachments'>,
  store: AttachmentStore,
): AttachmentService {
  return createAttachmentService({
    store,
    files: config.attachments.s3
      ? s3FileStore(config.attachments.s3)
      : fileSystemStore(config.attachments.dir),
    maxBytes: config.attachments.maxBytes,
  });
}
