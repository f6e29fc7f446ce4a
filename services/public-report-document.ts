import type { RenderedFile } from '../office/bulletin';
import { CONTENT_TYPES, type DocBlock, type DocTable, type OfficeDocument } from '../office/document';
import { renderHtml } from '../office/html';
import { renderPdf } from '../office/pdf';
import { reportFileName, type PublicReport, type ReportCard, type ReportRow } from './public-report';

// The yearly report as words, once: the page, the PDF and the CLI's HTML all render this document.

export const NOT_AVAILABLE = '暂无 / not available';

const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);

const ROW_HEADER = ['单位', '计划任务', '已办结', '按期办结', '逾期未办结', '按期办结率'];

const rowCells = (r: ReportRow): string[] => [
  r.unit,
  ...[r.planned, r.done, r.onTime, r.overdue].map(String),
  percent(r.rate),
];

const NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** The opening sentence: the year's figures for the whole plan. */
export function reportSummary(r: PublicReport): string {
  const t = r.progress.total;
  if (t.planned === 0) return `《${r.title}》${r.year} 年度没有计划完成的任务。`;
  return (
    `截至 ${r.asOf}，《${r.title}》${r.year} 年度计划完成任务 ${t.planned} 项：已办结 ${t.done} 项，` +
    `其中按期办结 ${t.onTime} 项；逾期未办结 ${t.overdue} 项。按期办结率 ${percent(t.rate)}。`
  );
}

const MET_ZH = (met: boolean | null) => (met === null ? '未报送' : met ? '达标' : '未达标');

function cardTable(caption: string, list: ReportCard[]): DocBlock {
  if (list.length === 0) return { kind: 'paragraph', text: `${caption}：无。` };
  return {
    kind: 'table',
    table: {
      caption,
      header: ['企业', '统一社会信用代码', '镇街', '行业', '措施', '起始', '整改期限'],
      rows: list.map((c) => [
        c.enterprise,
        c.code ?? '—',
        c.region ?? '—',
        c.sector ?? '—',
        c.measure ?? '—',
        c.since ?? '—',
        c.due ?? '—',
      ]),
    },
  };
}

export function reportDocument(r: PublicReport, issuer = '区委区政府督查室'): OfficeDocument {
  let section = 0;
  let tableNo = 0;
  const blocks: DocBlock[] = [];
  const heading = (text: string) => blocks.push({ kind: 'heading', text: `${NUMBERS[section++]}、${text}` });
  const table = (t: Omit<DocTable, 'caption'> & { caption: string }) =>
    blocks.push({ kind: 'table', table: { ...t, caption: `表${++tableNo} ${t.caption}` } });

  heading('任务完成情况');
  blocks.push({ kind: 'paragraph', text: reportSummary(r) });
  if (r.progress.departments.length > 0)
    table({
      caption: '各牵头单位任务完成情况',
      header: ROW_HEADER,
      rows: r.progress.departments.map(rowCells),
      numeric: [1, 2, 3, 4, 5],
    });
  if (r.progress.regions.length > 0)
    table({
      caption: '各镇街任务完成情况',
      header: ROW_HEADER.map((h, i) => (i === 0 ? '镇街' : h)),
      rows: r.progress.regions.map(rowCells),
      numeric: [1, 2, 3, 4, 5],
    });

  heading('主要指标完成情况');
  const targets = r.indicators.flatMap((i) =>
    i.targets.map((t) => [
      i.name,
      t.region ?? '全区',
      t.target,
      t.actual ?? '未报送',
      MET_ZH(t.met),
      i.department,
    ]),
  );
  if (targets.length > 0)
    table({
      caption: `${r.year} 年度指标目标与实际`,
      header: ['指标', '区域', '年度目标', '实际', '是否达标', '监测单位'],
      rows: targets,
    });
  else blocks.push({ kind: 'paragraph', text: `${r.year} 年度没有跟踪的指标。` });
  const met = r.indicators.flatMap((i) => i.targets).filter((t) => t.met === true).length;
  if (targets.length > 0)
    blocks.push({ kind: 'paragraph', text: `年度指标目标 ${targets.length} 项，达标 ${met} 项。` });

  heading('实施中的限批');
  if (r.restrictions.length > 0)
    table({
      caption: `截至 ${r.asOf} 实施中的限批`,
      header: ['镇街', '行业', '起始', '起因'],
      rows: r.restrictions.map((x) => [x.region, x.sector, x.since, x.cause]),
    });
  else blocks.push({ kind: 'paragraph', text: `截至 ${r.asOf} 没有实施中的限批。` });

  heading('企业红黄牌名单');
  if (r.cards) blocks.push(cardTable('黄牌企业', r.cards.yellow), cardTable('红牌企业', r.cards.red));
  else blocks.push({ kind: 'paragraph', text: NOT_AVAILABLE });

  heading('年度考核排名');
  if (r.ranking && r.ranking.length > 0)
    table({
      caption: `${r.year} 年度考核排名`,
      header: ['名次', '单位', '得分'],
      rows: r.ranking.map((x, i) => [String(i + 1), x.unit, String(x.score)]),
      numeric: [0, 2],
    });
  else blocks.push({ kind: 'paragraph', text: NOT_AVAILABLE });

  return {
    title: '年度实施情况公开报告',
    subtitle: [`（${r.year}年度）`, `《${r.title}》`],
    blocks,
    signature: [issuer, r.issued],
  };
}

export type ReportFormat = 'pdf' | 'html';

/** The report as a file: a PDF with the Chinese font embedded, or a page of its own. */
export async function renderReport(r: PublicReport, format: ReportFormat): Promise<RenderedFile> {
  const doc = reportDocument(r);
  return {
    fileName: reportFileName(r, format),
    contentType: format === 'pdf' ? CONTENT_TYPES.pdf : 'text/html; charset=utf-8',
    bytes: format === 'pdf' ? await renderPdf(doc) : renderHtml(doc),
  };
}
