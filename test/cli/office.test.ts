/** The office formats on the CLI: the bulletin, the task list as .xlsx, and a 任务分解表 in Excel. */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { docxParagraphs } from '../helpers/office';
import { PLAN, cliOnSeed } from './seed';

const ROOT = path.join(__dirname, '..', '..');
const SHIPPED = path.join(ROOT, 'plans/taierzhuang-2016-water.yaml');
const { run, ctx } = cliOnSeed('duban-cli-office-');

test('duban bulletin writes the plan’s 督查通报 and says its figures', async () => {
  const out = path.join(ctx.dir, 'bulletin.docx');
  const r = await run(['bulletin', '--plan', PLAN, '--period', '2027-02', '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`已写入 ${out}（督查通报，2027年2月）`);
  const said = `截至 2027-02-28，《台儿庄区水污染防治工作方案》共有任务 3 项：已办结 1 项（本期办结 0 项），其中按期办结 1 项；逾期未办结 1 项；本期无约谈、限批、追责。按期办结率 50%。`;
  expect(r.stdout).toContain(said);
  expect(await docxParagraphs(fs.readFileSync(out))).toContain(said);

  const again = await run(['bulletin', '--plan', PLAN, '--out', out]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('已存在，用 --force 覆盖');
  const bad = await run(['bulletin', '--plan', PLAN, '--period', 'Q5', '--out', path.join(ctx.dir, 'x.pdf')]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('统计期应为月份（2027-03）、季度（2027Q1）或年份（2027）：Q5');
});

test('duban task list --xlsx writes the rows the list finds', async () => {
  const out = path.join(ctx.dir, 'tasks.xlsx');
  const r = await run(['task', 'list', '--plan', PLAN, '--xlsx', out]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`已写入 ${out}：3 项任务`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const ws = wb.getWorksheet('任务台账')!;
  expect(ws.getCell('A1').value).toBe(`督办任务台账（方案 ${PLAN}，截至 2027-03-01）`);
  const titles = [3, 4, 5].map((n) => ws.getRow(n).getCell(4).value);
  expect(titles.sort()).toEqual(
    ['依法淘汰落后产能', '加强工业污染防治：严格环境准入', '整治城市建成区黑臭水体'].sort(),
  );
});

test('plan export writes the breakdown as .xlsx; plan check reads it back and names a bad cell', async () => {
  const xlsx = path.join(ctx.dir, 'plan.xlsx');
  const r = await run(['plan', 'export', SHIPPED, '--out', xlsx]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`已写入 ${xlsx}：方案 taierzhuang-2016-water，64 项任务`);
  const ok = await run(['plan', 'check', xlsx]);
  expect(ok.stderr).toBe('');
  expect(ok.stdout).toContain(
    `检查通过：${xlsx}，方案 taierzhuang-2016-water，64 项任务，交办时共 82 个流程`,
  );

  // A clerk types a unit wrong in row 7 of the lead column (E).
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  wb.getWorksheet('任务分解表')!.getCell('E7').value = '区环宝局';
  await wb.xlsx.writeFile(xlsx);
  const bad = await run(['plan', 'check', xlsx]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain(`${xlsx}: 任务分解表!E7: `);
  expect(bad.stderr).toContain('未知单位 区环宝局');
});
