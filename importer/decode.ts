import { PlanUnreadable } from './errors';

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

const CONVERT =
  '请先另存为 UTF-8 纯文本（.txt）再导入 / save it as UTF-8 plain text (.txt) first and import that';

/**
 * The text of a plan document's bytes. Office and PDF files are named as such (people hand those over
 * most often); GB18030/GBK text, still common in government offices, is accepted with a note.
 */
export function decodePlan(bytes: Uint8Array): { text: string; note?: string } {
  if (bytes.length === 0) throw new PlanUnreadable('文件为空 / the file is empty');
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46]))
    throw new PlanUnreadable(`这是 PDF 文件，无法直接读取 / this is a PDF file. ${CONVERT}`);
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
    throw new PlanUnreadable(`这是 Word（.docx）或压缩文件 / this is a .docx or zip file. ${CONVERT}`);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]))
    throw new PlanUnreadable(`这是旧版 Word（.doc）或 WPS 文件 / this is a .doc or WPS file. ${CONVERT}`);
  if (startsWith(bytes, [0x7b, 0x5c, 0x72, 0x74, 0x66]))
    throw new PlanUnreadable(`这是 RTF 文件 / this is an RTF file. ${CONVERT}`);

  let text: string;
  let note: string | undefined;
  if (startsWith(bytes, [0xff, 0xfe])) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (startsWith(bytes, [0xfe, 0xff])) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      try {
        text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
        note = '文件不是 UTF-8，已按 GB18030（GBK）读取 / not UTF-8: read as GB18030 (GBK)';
      } catch {
        throw new PlanUnreadable(`文件不是可识别的文本编码 / not text in a known encoding. ${CONVERT}`);
      }
    }
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.includes('\u0000'))
    throw new PlanUnreadable(`文件含有二进制内容，不是纯文本 / the file is binary, not text. ${CONVERT}`);
  if (!/[\u4e00-\u9fff]/.test(text))
    throw new PlanUnreadable(
      '文件中没有中文内容，不像是工作方案 / the file holds no Chinese text: not a plan',
    );
  return note ? { text, note } : { text };
}
