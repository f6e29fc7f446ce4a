/** `duban report`: the yearly public report written as a PDF or a page, or printed as JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { pdfText } from '../helpers/office';
import { PLAN, cliOnSeed } from './seed';

const { run, ctx } = cliOnSeed('duban-cli-report-');

// Of the seed's tasks of the plan, 2-1-1 (open, due 2027-06-30) and 2-1-7 (done, due 2027-12-31) are 2027's.
const SUMMARY =
  '截至 2027-03-01，《台儿庄区水污染防治工作方案》2027 年度计划完成任务 2 项：已办结 1 项，' +
  '其中按期办结 1 项；逾期未办结 0 项。按期办结率 100%。';

test('duban report writes the year’s report as a page and as a PDF, and says its figures', async () => {
  const page = path.join(ctx.dir, 'report.html');
  const r = await run(['report', '--plan', PLAN, '--year', '2027', '--out', page]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`已写入 ${page}（2027 年度公开报告）`);
  expect(r.stdout).toContain(SUMMARY);
  const html = fs.readFileSync(page, 'utf8');
  expect(html).toContain(`<p>${SUMMARY}</p>`);
  // The cards and the ranking come from the registry and the 考核 themselves: no card in 2027, and the
  // ranking `duban assessment run` gives for the same plan and year, row for row.
  expect(html).toContain('<h2>四、企业红黄牌名单</h2>\n<p>黄牌企业：无。</p>\n<p>红牌企业：无。</p>');
  const a = await run(['assessment', 'run', '--plan', PLAN, '--year', '2027', '--json']);
  expect(a.code).toBe(0);
  const ranking = (JSON.parse(a.stdout) as { ranking: { unit: string; score: number }[] }).ranking;
  expect(ranking.length).toBeGreaterThan(0);
  ranking.forEach((u, i) =>
    expect(html).toContain(
      `<tr><td class="num">${i + 1}</td><td>${u.unit}</td><td class="num">${u.score}</td></tr>`,
    ),
  );

  const pdf = path.join(ctx.dir, 'report.out');
  const p = await run(['report', '--plan', PLAN, '--year', '2027', '--format', 'pdf', '--out', pdf]);
  expect(p.code).toBe(0);
  const text = pdfText(fs.readFileSync(pdf));
  expect(text).toContain('年度实施情况公开报告');
  expect(text).toContain('计划完成任务 2 项');
});

test('duban report --json prints the figures; a bad year, an unknown plan, a bad format are refused', async () => {
  const j = await run(['report', '--plan', PLAN, '--year', '2027', '--json']);
  expect(j.code).toBe(0);
  const report = JSON.parse(j.stdout) as { progress: { total: object }; asOf: string };
  expect(report.asOf).toBe('2027-03-01');
  expect(report.progress.total).toEqual({
    unit: '合计',
    planned: 2,
    done: 1,
    onTime: 1,
    overdue: 0,
    rate: 1,
  });

  const year = await run(['report', '--plan', PLAN, '--year', 'next', '--json']);
  expect(year.code).toBe(1);
  expect(year.stderr).toContain('year：年度应为 2000–2100 之间的四位数字，不是“next”');
  const plan = await run(['report', '--plan', 'no-such-plan', '--year', '2027', '--json']);
  expect(plan.code).toBe(1);
  expect(plan.stderr).toContain('plan：没有方案 no-such-plan');
  const fmt = await run(['report', '--plan', PLAN, '--year', '2027', '--out', path.join(ctx.dir, 'r.docx')]);
  expect(fmt.code).toBe(1);
  expect(fmt.stderr).toContain('格式应为 pdf 或 html：docx');
});
