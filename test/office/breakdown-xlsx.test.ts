import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { loadDirectory } from '../../directory/directory';
import { parseBreakdownText, type Breakdown } from '../../importer';
import { TASKS_SHEET, breakdownXlsx } from '../../office/breakdown-xlsx';
import { checkBreakdownXlsx } from '../../services/breakdown-xlsx';
import { checkBreakdownInput } from '../../services/plan-ops';

const root = path.join(__dirname, '..', '..');
const directory = loadDirectory(path.join(root, 'directory', 'taierzhuang.yaml'));
const planFile = path.join(root, 'plans', 'taierzhuang-2016-water.yaml');
const breakdown = checkBreakdownInput({ yaml: fs.readFileSync(planFile, 'utf8') }, directory)
  .breakdown as Breakdown;

/** A clerk's own table: the plan's two rows and a task sheet with the columns offices use. */
async function clerkWorkbook(rows: (string | number | Date)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const info = wb.addWorksheet('方案信息');
  info.addRow(['方案编号', 'clerk-2027']);
  info.addRow(['方案名称', '2027年水污染防治重点任务']);
  const ws = wb.addWorksheet(TASKS_SHEET);
  ws.addRow(['序号', '任务', '牵头单位', '配合单位', '完成时限', '区域']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('an exported 任务分解表 reads back as the breakdown it came from, and passes the same check', async () => {
  expect(breakdown).toBeDefined();
  const bytes = await breakdownXlsx(breakdown);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const ws = wb.getWorksheet(TASKS_SHEET)!;
  expect(ws.getRow(1).values).toEqual([
    undefined,
    '序号',
    '章节',
    '任务',
    '任务内容',
    '牵头单位',
    '配合单位',
    '完成时限',
    '区域',
    '限批行业',
  ]);
  const t = breakdown.tasks[0];
  expect(ws.getCell('A2').value).toBe(t.id);
  expect(ws.getCell('C2').value).toBe(t.title);
  expect(ws.getCell('E2').value).toBe(t.lead.join('、'));
  expect(ws.getCell('G2').value).toBe(t.due);

  const back = await checkBreakdownXlsx(bytes, directory);
  expect(back.issues).toEqual([]);
  expect(back.breakdown).toEqual(breakdown);
});

test('a clerk’s table is checked as YAML is: a wrong unit is named by sheet, row and column', async () => {
  const bytes = await clerkWorkbook([
    [1, '排查取缔十小企业', '区环保局', '区经信局', '2027-06-30', ''],
    [2, '城镇污水处理设施建设', '区住建局', '', new Date(Date.UTC(2027, 11, 31)), ''],
    [3, '工业集聚区污水集中处理', '区环宝局', '', '2027年9月30日', ''],
  ]);
  const r = await checkBreakdownXlsx(bytes, directory);
  expect(r.issues).toHaveLength(1);
  expect(r.issues[0].path).toBe('任务分解表!C4');
  expect(r.issues[0].message).toContain('未知单位 区环宝局');
  expect(r.issues[0].message).toContain('是否应为 区环保局');
});

test('a bad date and a missing title are named by their cells; a workbook without the sheets says so', async () => {
  const bytes = await clerkWorkbook([
    [1, '排查取缔十小企业', '区环保局', '', '明年六月', ''],
    [2, '', '区住建局', '', '2027-12-31', ''],
  ]);
  const r = await checkBreakdownXlsx(bytes, directory);
  const at = Object.fromEntries(r.issues.map((i) => [i.path, i.message]));
  expect(at['任务分解表!E2']).toContain('日期格式应为 YYYY-MM-DD');
  expect(at['任务分解表!B3']).toContain('不能为空');

  const empty = new ExcelJS.Workbook();
  empty.addWorksheet('Sheet1');
  const none = await checkBreakdownXlsx(Buffer.from(await empty.xlsx.writeBuffer()), directory);
  expect(none.issues.map((i) => i.message).join('\n')).toContain('缺少工作表「任务分解表」');
  const junk = await checkBreakdownXlsx(Buffer.from('not a zip'), directory);
  expect(junk.issues[0].message).toContain('不是可读的 .xlsx 文件');
});

test('a checked table from a clerk starts the same workflows a YAML file of it would', async () => {
  const bytes = await clerkWorkbook([[1, '排查取缔十小企业', '区环保局', '区经信局', '2027-06-30', '']]);
  const r = await checkBreakdownXlsx(bytes, directory);
  expect(r.issues).toEqual([]);
  const yaml = parseBreakdownText(
    'plan: {id: clerk-2027, title: 2027年水污染防治重点任务}\n' +
      'departments: [{name: 区环保局}, {name: 区经信局}]\n' +
      'tasks: [{id: "1", title: 排查取缔十小企业, lead: [区环保局], cooperating: [区经信局], due: 2027-06-30}]\n',
  );
  expect(r.breakdown).toEqual(checkBreakdownInput({ breakdown: yaml }).breakdown);
});
