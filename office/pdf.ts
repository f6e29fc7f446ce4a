import { create as parseFont } from 'fontkit';
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { DocTable, OfficeDocument } from './document';
import { cjkFontFile } from './font';

let cjk: PDFKit.Mixins.PDFFontSource | undefined;

/**
 * The CJK font parsed once per process and shared by every document (each embeds its own subset of it).
 * Given the file, pdfkit reads and parses its 8 MB anew for each PDF: fifty overdue 催办单 at once held
 * 888 MiB and took 3.8 s here, against 170 MiB and 1.1 s with the font parsed once.
 */
function cjkFont(): PDFKit.Mixins.PDFFontSource {
  // pdfkit takes a parsed fontkit font as well as a file, though its types name only the latter.
  return (cjk ??= parseFont(fs.readFileSync(cjkFontFile())) as unknown as PDFKit.Mixins.PDFFontSource);
}

/** Makes a PDF with the CJK font registered as `cjk`; resolves with its bytes once drawn by `draw`. */
export function pdfBuffer(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Creator: 'duban' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont('cjk', cjkFont());
      doc.font('cjk');
      draw(doc);
      doc.end();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** The document as a PDF (A4, Noto Sans SC embedded). */
export function renderPdf(d: OfficeDocument): Promise<Buffer> {
  return pdfBuffer(d.title, (doc) => {
    doc.fontSize(22).text(d.title, { align: 'center' });
    doc.fontSize(12);
    for (const s of d.subtitle) doc.text(s, { align: 'center' });
    for (const b of d.blocks) {
      doc.moveDown(0.6);
      if (b.kind === 'heading') doc.fontSize(14).text(b.text, { align: 'left' }).fontSize(11);
      else if (b.kind === 'paragraph') doc.fontSize(11).text(b.text, { align: 'left', indent: 22 });
      else if (b.kind === 'list') doc.fontSize(11).list(b.items);
      else {
        doc.fontSize(10).text(b.table.caption, { align: 'center' });
        table(doc, b.table);
        doc.fontSize(11);
      }
    }
    doc.moveDown(2);
    for (const s of d.signature) doc.text(s, { align: 'right' });
  });
}

const PAD = 3;

/**
 * A bordered table, columns as wide as their text asks within the page, rows breaking across pages. Drawn by
 * hand: pdfkit's own table measures every cell again and again, seconds a row with a CJK font.
 */
function table(doc: PDFKit.PDFDocument, t: DocTable): void {
  doc.fontSize(8);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const rows = [t.header, ...t.rows];
  const want = t.header.map((_, c) =>
    Math.min(160, Math.max(24, ...rows.map((r) => doc.widthOfString(r[c] ?? '') + 2 * PAD))),
  );
  const scale = width / want.reduce((a, b) => a + b, 0);
  const widths = want.map((w) => w * scale);
  const numeric = new Set(t.numeric ?? []);
  doc.x = left;
  rows.forEach((r, i) => {
    const h =
      Math.max(...r.map((cell, c) => doc.heightOfString(cell, { width: widths[c] - 2 * PAD }))) + 2 * PAD;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    r.forEach((cell, c) => {
      doc.rect(x, y, widths[c], h).lineWidth(0.5).stroke();
      doc.text(cell, x + PAD, y + PAD, {
        width: widths[c] - 2 * PAD,
        align: i > 0 && numeric.has(c) ? 'right' : 'left',
      });
      x += widths[c];
    });
    doc.x = left;
    doc.y = y + h;
  });
  doc.moveDown(0.5);
}
