// A document as offices read it, in the terms both renderers (docx, pdf) share: the content is made once,
// so a .docx and a .pdf of one bulletin say the same words.

export interface DocTable {
  caption: string;
  header: string[];
  rows: string[][];
  /** Columns that hold numbers: right-aligned. */
  numeric?: number[];
}

export type DocBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; table: DocTable };

export interface OfficeDocument {
  title: string;
  /** Under the title, centred: the period and the plan. */
  subtitle: string[];
  blocks: DocBlock[];
  /** Right-aligned at the end: the issuer and the date. */
  signature: string[];
}

export type OfficeFormat = 'docx' | 'pdf';

export const OFFICE_FORMATS: readonly OfficeFormat[] = ['docx', 'pdf'];

export const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
