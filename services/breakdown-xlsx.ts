import type { Directory } from '../directory/directory';
import type { CheckResult } from '../importer';
import { readBreakdownXlsx } from '../office/breakdown-xlsx';
import { checkBreakdownInput } from './plan-ops';

/** `.xlsx`, by name; the bytes decide too (a zip starts with PK). */
export const isXlsx = (name: string, bytes?: Uint8Array): boolean =>
  /\.xlsx$/i.test(name) || (bytes !== undefined && bytes[0] === 0x50 && bytes[1] === 0x4b);

/**
 * A 任务分解表 workbook checked as a YAML breakdown is (the same importer checks and, with the directory, the
 * same names), every problem named by its sheet and cell: `任务分解表!E7`.
 */
export async function checkBreakdownXlsx(
  bytes: Buffer | Uint8Array,
  directory?: Pick<Directory, 'departments'>,
): Promise<CheckResult> {
  const sheet = await readBreakdownXlsx(bytes);
  if (sheet.issues.length > 0 || sheet.data === undefined) return { issues: sheet.issues };
  const r = checkBreakdownInput({ breakdown: sheet.data }, directory);
  return {
    ...(r.breakdown ? { breakdown: r.breakdown } : {}),
    issues: r.issues.map((i) => ({ path: sheet.cellOf(i.path) ?? i.path, message: i.message })),
  };
}
