// What kind of file an upload is, from its first bytes, not from its name or the type its sender declared
// (both are the sender's word). The kinds an office hands in as 佐证材料: scans and photos, PDF, Word and
// Excel. A bare .zip is refused: a verifier could not open it on the page, and it may hold anything.

export interface FileKind {
  /** The MIME type it is stored and served as. */
  type: string;
  /** The names such a file may have. */
  extensions: readonly string[];
  label: string;
}

export const KINDS = {
  pdf: { type: 'application/pdf', extensions: ['pdf'], label: 'PDF' },
  png: { type: 'image/png', extensions: ['png'], label: 'PNG' },
  jpeg: { type: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG' },
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    label: 'Word (.docx)',
  },
  xlsx: {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
    label: 'Excel (.xlsx)',
  },
} as const satisfies Record<string, FileKind>;

/** The file names the upload field offers (`accept`), and the refusal lists. */
export const ACCEPTED_EXTENSIONS = Object.values(KINDS).flatMap((k) => k.extensions.map((e) => `.${e}`));

const startsWith = (b: Buffer, sig: number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x);

/**
 * An Office Open XML file is a zip whose entries are named in the clear in their local headers: a Word
 * document holds `word/`, a workbook `xl/`, each beside `[Content_Types].xml`.
 */
function officeKind(b: Buffer): FileKind | undefined {
  if (!b.includes('[Content_Types].xml')) return undefined;
  if (b.includes('word/')) return KINDS.docx;
  if (b.includes('xl/')) return KINDS.xlsx;
  return undefined;
}

/** The kind the content is, or undefined when it is none duban takes. */
export function sniff(bytes: Buffer): FileKind | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return KINDS.pdf; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return KINDS.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return KINDS.jpeg;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeKind(bytes);
  return undefined;
}

export const extensionOf = (name: string): string => /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
