import JSZip from 'jszip';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** A .docx file's paragraphs as Word shows them: word/document.xml, each <w:p>'s runs joined. */
export async function docxParagraphs(bytes: Buffer | Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1])).join(''))
    .filter((t) => t !== '');
}

/**
 * A PDF's text as pdf.js reads it (through pdf-parse, in a child process: pdf.js loads itself with a dynamic
 * import that jest's module sandbox refuses), all whitespace folded to one space.
 */
export function pdfText(bytes: Buffer | Uint8Array): string {
  const script =
    "const { PDFParse } = require('pdf-parse');" +
    "const chunks = []; process.stdin.on('data', (c) => chunks.push(c)); process.stdin.on('end', async () => {" +
    'const p = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });' +
    'process.stdout.write((await p.getText()).text); await p.destroy(); });';
  const text = execFileSync(process.execPath, ['-e', script], {
    input: bytes,
    cwd: path.join(__dirname, '..', '..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return text.replace(/\s+/g, ' ');
}
