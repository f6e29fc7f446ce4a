import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { DocTable, OfficeDocument } from './document';

const FONT = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };

function table(t: DocTable): Table {
  const numeric = new Set(t.numeric ?? []);
  const cell = (text: string, i: number, bold = false) =>
    new TableCell({
      children: [
        new Paragraph({
          alignment: numeric.has(i) && !bold ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [new TextRun({ text, bold, font: FONT, size: 20 })],
        }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: t.header.map((h, i) => cell(h, i, true)) }),
      ...t.rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, i)) })),
    ],
  });
}

const text = (s: string, o: { bold?: boolean; size?: number } = {}) =>
  new TextRun({ text: s, font: FONT, size: o.size ?? 24, bold: o.bold });

/** The document as a .docx (Word) file. */
export async function renderDocx(d: OfficeDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      heading: HeadingLevel.TITLE,
      children: [text(d.title, { bold: true, size: 44 })],
    }),
    ...d.subtitle.map((s) => new Paragraph({ alignment: AlignmentType.CENTER, children: [text(s)] })),
  ];
  for (const b of d.blocks) {
    if (b.kind === 'heading')
      children.push(
        new Paragraph({
          heading: HeadingLevel.HEADING_2,
          spacing: { before: 240 },
          children: [text(b.text, { bold: true, size: 28 })],
        }),
      );
    else if (b.kind === 'paragraph')
      children.push(new Paragraph({ indent: { firstLine: 480 }, children: [text(b.text)] }));
    else if (b.kind === 'list')
      for (const i of b.items) children.push(new Paragraph({ bullet: { level: 0 }, children: [text(i)] }));
    else {
      children.push(
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { before: 120 },
          children: [text(b.table.caption, { bold: true, size: 21 })],
        }),
      );
      children.push(table(b.table));
    }
  }
  children.push(
    ...d.signature.map(
      (s, i) =>
        new Paragraph({
          alignment: AlignmentType.RIGHT,
          spacing: i === 0 ? { before: 480 } : {},
          children: [text(s)],
        }),
    ),
  );
  return Packer.toBuffer(new Document({ title: d.title, creator: 'duban', sections: [{ children }] }));
}
