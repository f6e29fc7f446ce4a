import { dayOf, type TaskEvent, type TaskState } from '../domain';
import type { OfficeDocument } from './document';
import { renderPdf } from './pdf';

// The numbered 督办单 (with a leadership instruction) and 催办单 (with the overdue notice): one sheet a
// department can print, file and answer, numbered 台督字〔2027〕12号 in the office's series.

export type OrderKind = '督办单' | '催办单';

/** The event a numbered document goes with, and which; other events carry none. */
export function orderKindOf(e: TaskEvent): OrderKind | undefined {
  if (e.type === 'InstructionGiven') return '督办单';
  if (e.type === 'OverdueNoticed') return '催办单';
  return undefined;
}

/** 台督字〔2027〕12号: the series' prefix, the year in 〔〕, the number in that year. */
export const documentNumber = (prefix: string, year: number, n: number): string =>
  `${prefix}〔${year}〕${n}号`;

/** The year a document is numbered in: that of its event's day in Asia/Shanghai. */
export const documentYear = (e: TaskEvent): number => Number(dayOf(e.at).slice(0, 4));

export function supervisionOrder(
  kind: OrderKind,
  number: string,
  e: TaskEvent,
  task: TaskState,
  issuer = '区委区政府督查室',
): OfficeDocument {
  const spec = task.spec;
  const ref = [spec.plan, spec.id, spec.region].filter(Boolean).join('/');
  const rows: string[][] = [
    ['任务', spec.title],
    ['编号', ref],
    ...(spec.region ? [['镇街', spec.region]] : []),
    ['牵头单位', spec.lead.join('、')],
    ['配合单位', spec.cooperating.join('、') || '—'],
    ['完成时限', task.due],
  ];
  const lead = spec.lead.join('、');
  const blocks: OfficeDocument['blocks'] = [
    { kind: 'table', table: { caption: '任务情况', header: ['项目', '内容'], rows } },
  ];
  if (e.type === 'InstructionGiven') {
    blocks.push(
      { kind: 'heading', text: '领导批示' },
      { kind: 'paragraph', text: e.text },
      { kind: 'heading', text: '办理要求' },
      {
        kind: 'paragraph',
        text:
          `请 ${lead} 按领导批示要求抓紧办理，将落实情况在督办系统中反馈，并于 ${task.due} 前办结。` +
          (e.priority ? '本任务已列为重点督办。' : ''),
      },
    );
  } else if (e.type === 'OverdueNoticed') {
    const late = e.daysOverdue > 0 ? `已逾期 ${e.daysOverdue} 天` : '已到期';
    blocks.push(
      { kind: 'heading', text: '催办事项' },
      {
        kind: 'paragraph',
        text: `本任务已于 ${e.due} 到期，${late}，仍未办结。请 ${lead} 立即办理，并在督办系统中反馈进展；逾期不办的，将依规约谈。`,
      },
    );
  }
  return {
    title: kind,
    subtitle: [number],
    blocks,
    signature: [issuer, dayOf(e.at)],
  };
}

/** The document as the PDF attached to its mail: its file name carries the 文号. */
export async function supervisionOrderPdf(
  kind: OrderKind,
  number: string,
  e: TaskEvent,
  task: TaskState,
): Promise<{ fileName: string; contentType: string; bytes: Buffer }> {
  const bytes = await renderPdf(supervisionOrder(kind, number, e, task));
  return { fileName: `${kind}-${number}.pdf`, contentType: 'application/pdf', bytes };
}
