import PDFDocument from 'pdfkit';
import type { OfficeDocument } from './document';
import { cjkFontFile } from './font';

/** Makes a PDF with the CJK font registered as `cjk`; resolves with its bytes once drawn by `draw`. */
export function pdfBuffer(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Creator: 'duban' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont('cjk', cjkFontFile());
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
        doc.fontSize(8).table({ data: [b.table.header, ...b.table.rows] });
        doc.fontSize(11);
      }
    }
    doc.moveDown(2);
    for (const s of d.signature) doc.text(s, { align: 'right' });
  });
}
