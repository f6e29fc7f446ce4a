import type { Bulletin, BulletinRow } from '../domain/bulletin';
import { ESCALATION_ZH, shortId } from '../domain';
import type { DocBlock, OfficeDocument } from './document';

// The 督查通报 as words: what the figures say, by department and by 镇街, and who is named.

const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);

const HEADER = [
  '单位',
  '任务数',
  '累计办结',
  '本期办结',
  '按期办结',
  '逾期未办结',
  '约谈',
  '限批',
  '追责',
  '按期办结率',
];

const rowCells = (r: BulletinRow): string[] => [
  r.unit,
  ...[
    r.tasks,
    r.completed,
    r.completedInPeriod,
    r.onTime,
    r.overdue,
    r.interviews,
    r.restrictions,
    r.accountability,
  ].map(String),
  percent(r.rate),
];

const NUMERIC = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The opening sentence: the whole plan's figures. */
export function bulletinSummary(b: Bulletin): string {
  const t = b.total;
  const escalated =
    t.interviews + t.restrictions + t.accountability > 0
      ? `本期约谈 ${t.interviews} 次、限批 ${t.restrictions} 次、追责 ${t.accountability} 次`
      : '本期无约谈、限批、追责';
  return (
    `截至 ${b.asOf}，《${b.title}》共有任务 ${t.tasks} 项：已办结 ${t.completed} 项（本期办结 ${t.completedInPeriod} 项），` +
    `其中按期办结 ${t.onTime} 项；逾期未办结 ${t.overdue} 项；${escalated}。按期办结率 ${percent(t.rate)}。`
  );
}

export function bulletinDocument(b: Bulletin, issuer = '区委区政府督查室'): OfficeDocument {
  const blocks: DocBlock[] = [
    { kind: 'heading', text: '一、总体情况' },
    { kind: 'paragraph', text: bulletinSummary(b) },
    { kind: 'heading', text: '二、各牵头单位办理情况' },
    {
      kind: 'table',
      table: {
        caption: '表1 各牵头单位办理情况',
        header: HEADER,
        rows: b.departments.map(rowCells),
        numeric: NUMERIC,
      },
    },
  ];
  if (b.regions.length > 0)
    blocks.push(
      { kind: 'heading', text: '三、各镇街办理情况' },
      {
        kind: 'table',
        table: {
          caption: '表2 各镇街办理情况',
          header: HEADER.map((h, i) => (i === 0 ? '镇街' : h)),
          rows: b.regions.map(rowCells),
          numeric: NUMERIC,
        },
      },
    );
  const n = b.regions.length > 0 ? '四' : '三';
  blocks.push({ kind: 'heading', text: `${n}、通报批评` });
  blocks.push(
    b.worst.length > 0
      ? {
          kind: 'paragraph',
          text: `对以下单位予以通报批评，请限期整改：${b.worst.map((w) => `${w.unit}（${w.why}）`).join('；')}。`,
        }
      : { kind: 'paragraph', text: '本期没有逾期未办结或被约谈、限批、追责的单位。' },
  );
  if (b.overdueTasks.length > 0)
    blocks.push({
      kind: 'table',
      table: {
        caption: `表${b.regions.length > 0 ? 3 : 2} 逾期未办结任务`,
        header: ['任务', '标题', '牵头单位', '完成时限', '逾期天数', '升级'],
        rows: b.overdueTasks.map((t) => [
          shortId(t.workflowId),
          t.title,
          t.lead.join('、'),
          t.due,
          String(t.daysOverdue),
          ESCALATION_ZH[t.escalation],
        ]),
        numeric: [4],
      },
    });
  return {
    title: '督查通报',
    subtitle: [`（${b.period.label}）`, `《${b.title}》落实情况`],
    blocks,
    signature: [issuer, b.issued],
  };
}

/** `督查通报-taierzhuang-2027-03.docx`. */
export const bulletinFileName = (b: Bulletin, ext: string): string =>
  `督查通报-${b.plan}-${b.period.key}.${ext}`;
