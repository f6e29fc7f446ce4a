import ExcelJS from 'exceljs';
import {
  ESCALATION_ZH,
  STATUS_ZH,
  dayOf,
  daysBetween,
  isOverdue,
  shortId,
  type TaskSummary,
} from '../domain';

// The 台账: the task list as a spreadsheet a clerk files and forwards; one row a task, as the list shows it.

export const TASK_SHEET = '任务台账';

export const TASK_COLUMNS = [
  '序号',
  '任务编号',
  '方案',
  '任务',
  '牵头单位',
  '配合单位',
  '镇街',
  '状态',
  '完成时限',
  '逾期天数',
  '升级',
  '已签收',
  '交办日期',
  '最近更新',
] as const;

const WIDTHS = [6, 28, 14, 40, 20, 24, 12, 10, 12, 10, 10, 24, 12, 12];

/** The tasks as an .xlsx workbook: a header row, frozen, filterable; `title` on the sheet's first row. */
export async function taskListXlsx(
  tasks: readonly TaskSummary[],
  today: string,
  title: string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  const ws = wb.addWorksheet(TASK_SHEET, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.mergeCells(1, 1, 1, TASK_COLUMNS.length);
  ws.getCell(1, 1).value = title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  const header = ws.getRow(2);
  header.values = [...TASK_COLUMNS];
  header.font = { bold: true };
  TASK_COLUMNS.forEach((_, i) => (ws.getColumn(i + 1).width = WIDTHS[i]));
  tasks.forEach((t, i) => {
    const late = isOverdue(t, today) ? daysBetween(t.due, today) : null;
    ws.addRow([
      i + 1,
      shortId(t.workflowId),
      t.plan,
      t.title,
      t.lead.join('、'),
      t.cooperating.join('、'),
      t.region ?? '',
      STATUS_ZH[t.status],
      t.due,
      late,
      t.escalation === 'none' ? '' : ESCALATION_ZH[t.escalation],
      t.acknowledged.join('、'),
      dayOf(t.assignedAt),
      dayOf(t.updatedAt),
    ]);
  });
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: TASK_COLUMNS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The sheet's title: what the list holds and the day it stands on. */
export function taskListTitle(
  f: {
    plan?: string;
    department?: string;
    region?: string;
    status?: TaskSummary['status'];
    overdue?: string;
    q?: string;
  },
  today: string,
): string {
  const parts = [
    f.plan && `方案 ${f.plan}`,
    f.department,
    f.region,
    f.status && STATUS_ZH[f.status],
    f.overdue === 'true' && '逾期',
    f.q && `含“${f.q}”`,
  ].filter(Boolean);
  return `督办任务台账（${[...parts, `截至 ${today}`].join('，')}）`;
}
