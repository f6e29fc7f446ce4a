import fs from 'node:fs';
import path from 'node:path';
import { tooLarge } from '../services/attachments';
import { BadInput, TaskNotFound } from '../services/errors';
import type { Session } from './session';

/** `--attach FILE`, repeatable: the files in the order given. */
export const collectFiles = (v: string, prev: string[] = []): string[] => [...prev, v];

export const ATTACH_HELP =
  '佐证材料（PDF、JPG、PNG、DOCX、XLSX），可多次给出 / a file of evidence (PDF, JPG, PNG, DOCX, XLSX); repeatable';

/**
 * Uploads the files to the task, as the API's upload does (same size and kind checks, same records),
 * and answers with their hashes for the command to carry. Nothing is stored unless every file passes.
 */
export async function uploadFiles(
  s: Session,
  workflowId: string,
  files: readonly string[],
  by: string,
  cwd = process.cwd(),
): Promise<{ sha256: string; name: string; size: number }[]> {
  if (!s.attachments)
    throw new BadInput('--attach', '--attach: 此会话不能上传文件 / --attach: this session keeps no files');
  const service = await s.attachments();
  if (!(await s.facade.summary(workflowId))) throw new TaskNotFound(workflowId);
  const read = files.map((f) => {
    const file = path.resolve(cwd, f);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      throw new BadInput('--attach', `--attach: 找不到文件 ${f} / --attach: no such file ${f}`);
    }
    // Said before a large file is read into memory.
    if (size > service.maxBytes) throw tooLarge(path.basename(file), service.maxBytes);
    return { name: path.basename(file), bytes: fs.readFileSync(file) };
  });
  return service.upload(workflowId, read, by.trim());
}
