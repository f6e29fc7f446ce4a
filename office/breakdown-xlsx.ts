import ExcelJS from 'exceljs';
import type { Breakdown, BreakdownIssue, BreakdownTask } from '../importer';
import { isRegionCollective } from '../importer/departments';

// The 任务分解表 as clerks keep it in Excel, read into the breakdown the YAML path checks (same checks, so the
// same rules), with every field's cell known so an error names sheet, row and column. Written back the same
// way; what the sheet has no column for (deadlines, targets, policy, the document lines) rides along in a
// hidden sheet, so an exported file read back is the breakdown it came from.

export const PLAN_SHEET = '方案信息';
export const TASKS_SHEET = '任务分解表';
export const UNITS_SHEET = '单位';
export const EXTRA_SHEET = '附加数据';

/** Column headings and the task field each fills; the first name is what an export writes. */
const COLUMNS = [
  { field: 'id', names: ['序号', '编号', '任务编号'] },
  { field: 'section', names: ['章节', '类别'] },
  { field: 'title', names: ['任务', '任务名称', '工作任务'] },
  { field: 'text', names: ['任务内容', '具体内容', '工作内容'] },
  { field: 'lead', names: ['牵头单位', '责任单位'] },
  { field: 'cooperating', names: ['配合单位'] },
  { field: 'due', names: ['完成时限', '完成时间', '时限'] },
  { field: 'regions', names: ['区域', '镇街'] },
  { field: 'sector', names: ['限批行业'] },
] as const;
type Field = (typeof COLUMNS)[number]['field'];
const REQUIRED: Field[] = ['id', 'title', 'lead', 'due'];

const PLAN_ROWS = [
  { field: 'id', name: '方案编号' },
  { field: 'title', name: '方案名称' },
  { field: 'issuer', name: '发文单位' },
  { field: 'issuedOn', name: '发文日期' },
  { field: 'regions', name: '镇街' },
] as const;

/** A breakdown read from a workbook: the data for the YAML path's checks and where each field was. */
export interface SheetBreakdown {
  data?: unknown;
  /** `tasks[3].lead[0]` -> `任务分解表!E5`. */
  cellOf(path: string): string | undefined;
  /** What made the workbook unreadable as a breakdown (no sheet, no column): named by sheet and cell. */
  issues: BreakdownIssue[];
}

const splitNames = (s: string) =>
  s
    .split(/[、,，;；\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell's value as a person reads it: dates as YYYY-MM-DD, rich text and formulas by their text. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text).trim();
    if ('error' in v) return '';
  }
  return String(v).trim();
}

/** 2017年12月31日, 2017/12/31, 2017.12.31 -> 2017-12-31; anything else as written, for the check to refuse. */
export function isoDay(s: string): string {
  const m = /^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$/.exec(s);
  return m ? `${m[1]}-${pad(+m[2])}-${pad(+m[3])}` : s;
}

const ref = (sheet: string, col: number, row: number) => {
  let c = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) c = String.fromCharCode(65 + ((n - 1) % 26)) + c;
  return `${sheet}!${c}${row}`;
};

function sheetOf(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((w) => w.name.trim() === name);
}

function parseJson(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Reads a 任务分解表 workbook (.xlsx bytes). */
export async function readBreakdownXlsx(bytes: Buffer | Uint8Array): Promise<SheetBreakdown> {
  const cells = new Map<string, string>();
  const cellOf = (p: string) => {
    // The nearest field named: `tasks[2].policy.x` falls back to the task's row.
    for (let q = p; q !== '';) {
      const hit = cells.get(q);
      if (hit) return hit;
      const next = q.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (next === q) return undefined;
      q = next;
    }
    return undefined;
  };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (err) {
    return {
      cellOf,
      issues: [
        { path: '', message: `不是可读的 .xlsx 文件 / not a readable .xlsx file: ${(err as Error).message}` },
      ],
    };
  }
  const issues: BreakdownIssue[] = [];
  const planSheet = sheetOf(wb, PLAN_SHEET);
  const taskSheet = sheetOf(wb, TASKS_SHEET);
  if (!taskSheet)
    issues.push({
      path: '',
      message: `缺少工作表「${TASKS_SHEET}」（现有：${wb.worksheets.map((w) => w.name).join('、')}） / no sheet named ${TASKS_SHEET}`,
    });
  if (!planSheet)
    issues.push({
      path: '',
      message: `缺少工作表「${PLAN_SHEET}」（方案编号、方案名称） / no sheet named ${PLAN_SHEET} (plan id and title)`,
    });
  if (!taskSheet || !planSheet) return { cellOf, issues };

  // 方案信息: one item a row, its name in column A and its value in B.
  const plan: Record<string, unknown> = {};
  cells.set('plan', `${PLAN_SHEET}!A1`);
  planSheet.eachRow((row, r) => {
    const name = cellText(row.getCell(1).value);
    const item = PLAN_ROWS.find((p) => p.name === name);
    if (!item) return;
    const value = cellText(row.getCell(2).value);
    cells.set(`plan.${item.field}`, ref(PLAN_SHEET, 2, r));
    if (item.field === 'regions') plan.regions = splitNames(value);
    else if (item.field === 'issuedOn') plan.issuedOn = value ? isoDay(value) : null;
    else if (item.field === 'issuer') plan.issuer = value || null;
    else plan[item.field] = value;
  });
  for (const item of PLAN_ROWS.slice(0, 2))
    if (!cells.has(`plan.${item.field}`))
      issues.push({
        path: '',
        message: `${PLAN_SHEET}：缺少「${item.name}」一行（A 列写“${item.name}”，B 列写内容） / ${PLAN_SHEET}: no row ${item.name}`,
      });

  // 任务分解表: the heading row is the first within five that holds 序号 (or another id heading).
  let headRow = 0;
  const colOf = new Map<Field, number>();
  for (let r = 1; r <= Math.min(5, taskSheet.rowCount) && headRow === 0; r++) {
    const row = taskSheet.getRow(r);
    row.eachCell((cell, c) => {
      const h = cellText(cell.value).replace(/\s+/g, '');
      const col = COLUMNS.find((x) => (x.names as readonly string[]).includes(h));
      if (col && !colOf.has(col.field)) colOf.set(col.field, c);
    });
    if (colOf.has('id')) headRow = r;
    else colOf.clear();
  }
  const missing = REQUIRED.filter((f) => !colOf.has(f));
  if (headRow === 0 || missing.length > 0) {
    const names = (missing.length > 0 ? missing : REQUIRED).map(
      (f) => COLUMNS.find((c) => c.field === f)!.names[0],
    );
    issues.push({
      path: '',
      message: `${TASKS_SHEET}：前 5 行中没有找到表头列 ${names.join('、')} / ${TASKS_SHEET}: no heading row with the columns ${names.join(', ')}`,
    });
  }
  if (issues.length > 0) return { cellOf, issues };

  const extras = new Map<string, Record<string, unknown>>();
  let planExtra: Record<string, unknown> = {};
  const extraSheet = sheetOf(wb, EXTRA_SHEET);
  extraSheet?.eachRow((row) => {
    const kind = cellText(row.getCell(1).value);
    const json = parseJson(cellText(row.getCell(3).value));
    if (kind === 'plan') planExtra = json;
    if (kind === 'task') extras.set(cellText(row.getCell(2).value), json);
  });

  const tasks: Record<string, unknown>[] = [];
  cells.set('tasks', `${TASKS_SHEET}!A${headRow}`);
  for (let r = headRow + 1; r <= taskSheet.rowCount; r++) {
    const row = taskSheet.getRow(r);
    const get = (f: Field) => (colOf.has(f) ? cellText(row.getCell(colOf.get(f)!).value) : '');
    if ([...colOf.keys()].every((f) => get(f) === '')) continue;
    const i = tasks.length;
    const at = (f: Field) => colOf.has(f) && ref(TASKS_SHEET, colOf.get(f)!, r);
    cells.set(`tasks[${i}]`, ref(TASKS_SHEET, colOf.get('id')!, r));
    const put = (path: string, f: Field, n = 0) => {
      const c = at(f);
      if (!c) return;
      cells.set(`tasks[${i}].${path}`, c);
      for (let k = 0; k < n; k++) cells.set(`tasks[${i}].${path}[${k}]`, c);
    };
    const id = get('id');
    const extra = extras.get(id) ?? {};
    const lead = splitNames(get('lead'));
    const cooperating = splitNames(get('cooperating'));
    const regions = splitNames(get('regions'));
    const due = isoDay(get('due'));
    const sector = get('sector');
    const {
      restriction: restrictionExtra,
      due: dueWas,
      ...rest
    } = extra as {
      restriction?: Record<string, unknown>;
      due?: string;
    };
    const task: Record<string, unknown> = {
      ...rest,
      id,
      section: get('section'),
      title: get('title'),
      text: get('text'),
      lead,
      cooperating,
      due,
      // A due date changed in the sheet is the supervisor's, whatever rule chose the one before.
      ...(dueWas !== undefined && dueWas !== due ? { dueRule: 'manual' } : {}),
      regions,
      restriction: sector ? { ...(restrictionExtra ?? {}), sector } : null,
    };
    for (const f of ['id', 'section', 'title', 'text', 'due'] as const) put(f, f);
    put('lead', 'lead', lead.length);
    put('cooperating', 'cooperating', cooperating.length);
    put('regions', 'regions', regions.length);
    put('restriction', 'sector');
    put('restriction.sector', 'sector');
    tasks.push(task);
  }

  const regions = (plan.regions as string[] | undefined) ?? [
    ...new Set(tasks.flatMap((t) => t.regions as string[])),
  ];
  const regionSet = new Set(regions);
  const unitsSheet = sheetOf(wb, UNITS_SHEET);
  let departments: { name: string; aliases: string[] }[];
  if (unitsSheet) {
    departments = [];
    unitsSheet.eachRow((row, r) => {
      const name = cellText(row.getCell(1).value);
      if (r === 1 && name === '单位') return;
      if (!name) return;
      cells.set(`departments[${departments.length}]`, ref(UNITS_SHEET, 1, r));
      departments.push({ name, aliases: splitNames(cellText(row.getCell(2).value)) });
    });
  } else {
    // A clerk's own table lists no units apart: every one it names is one, and the directory checks them.
    const names = new Set<string>();
    for (const t of tasks)
      for (const n of [...(t.lead as string[]), ...(t.cooperating as string[])])
        if (!regionSet.has(n) && !isRegionCollective(n)) names.add(n);
    departments = [...names].map((name) => ({ name, aliases: [] }));
  }
  return {
    data: {
      plan: { ...(planExtra.plan as object | undefined), ...plan, regions },
      departments,
      tasks,
      indicators: planExtra.indicators ?? [],
      warnings: planExtra.warnings ?? [],
    },
    cellOf,
    issues: [],
  };
}

const TASK_EXTRA_KEYS = ['dueRule', 'deadlines', 'recurrence', 'targets', 'policy', 'source'] as const;

function taskExtra(t: BreakdownTask): Record<string, unknown> {
  const out: Record<string, unknown> = { due: t.due };
  for (const k of TASK_EXTRA_KEYS) if (t[k] !== undefined) out[k] = t[k];
  if (t.restriction) out.restriction = { ...t.restriction, sector: undefined };
  return out;
}

/** The breakdown as a workbook a clerk edits: plan, tasks, units, and the hidden rest. */
export async function breakdownXlsx(b: Breakdown): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  const info = wb.addWorksheet(PLAN_SHEET);
  info.columns = [{ width: 12 }, { width: 60 }];
  info.addRow(['方案编号', b.plan.id]);
  info.addRow(['方案名称', b.plan.title]);
  info.addRow(['发文单位', b.plan.issuer ?? '']);
  info.addRow(['发文日期', b.plan.issuedOn ?? '']);
  info.addRow(['镇街', b.plan.regions.join('、')]);
  info.getColumn(1).font = { bold: true };

  const ws = wb.addWorksheet(TASKS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = [8, 18, 40, 60, 20, 30, 12, 30, 10];
  ws.columns = COLUMNS.map((c, i) => ({ header: c.names[0], width: widths[i] }));
  ws.getRow(1).font = { bold: true };
  for (const t of b.tasks)
    ws.addRow([
      t.id,
      t.section,
      t.title,
      t.text,
      t.lead.join('、'),
      t.cooperating.join('、'),
      t.due,
      t.regions.join('、'),
      t.restriction?.sector ?? '',
    ]);
  for (let r = 2; r <= ws.rowCount; r++) ws.getCell(r, 4).alignment = { wrapText: true, vertical: 'top' };

  const units = wb.addWorksheet(UNITS_SHEET);
  units.columns = [
    { header: '单位', width: 24 },
    { header: '别名', width: 40 },
  ];
  for (const d of b.departments) units.addRow([d.name, d.aliases.join('、')]);

  const extra = wb.addWorksheet(EXTRA_SHEET, { state: 'hidden' });
  const { id: _id, title: _t, issuer: _i, issuedOn: _o, regions: _r, ...planRest } = b.plan;
  extra.addRow([
    'plan',
    '',
    JSON.stringify({ plan: planRest, indicators: b.indicators, warnings: b.warnings }),
  ]);
  for (const t of b.tasks) extra.addRow(['task', t.id, JSON.stringify(taskExtra(t))]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
