import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { BadInput } from '../services/errors';
import { publicReport, type ReportSources } from '../services/public-report';
import { renderReport, reportSummary, type ReportFormat } from '../services/public-report-document';
import { createAssessmentService } from '../services/assessment';
import { reportSourcesOf } from '../services/report-sources';
import { storeOf } from './restriction';
import type { CliContext } from './session';

interface ReportOptions {
  plan: string;
  year: string;
  format?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

const FORMATS: readonly ReportFormat[] = ['pdf', 'html'];

/** `duban report`: a plan's yearly public report as a PDF or a page, or its figures as JSON. */
export function registerReportCommands(
  program: Command,
  { say, today, getSession }: CliContext,
  given?: ReportSources,
): void {
  program
    .command('report')
    .description(
      '年度公开报告：任务完成、指标、限批、红黄牌、考核排名，不含人名（.pdf 或 .html） / ' +
        'the yearly public report: tasks, indicators, 限批, cards, ranking, no person named',
    )
    .requiredOption('--plan <plan>', '方案编号 / the plan id')
    .requiredOption('--year <year>', '年度，如 2027 / the year, e.g. 2027')
    .option('--format <format>', 'pdf 或 html（默认按 --out 的扩展名） / pdf or html (default: from --out)')
    .option('--out <file>', '写入文件 / the file to write')
    .option('--force', '覆盖已有的 --out 文件 / overwrite the --out file')
    .option('--json', '输出报告的数据（JSON） / print the report as JSON')
    .action(async (o: ReportOptions) => {
      if (!o.json && !o.out) throw new BadInput('--out', '请用 --out 指定文件 / give the file with --out');
      const format = (o.format ??
        (o.out ? path.extname(o.out).slice(1).toLowerCase() : 'pdf')) as ReportFormat;
      if (o.out && !FORMATS.includes(format))
        throw new BadInput(
          '--format',
          `格式应为 pdf 或 html：${format} / the format must be pdf or html: ${format}`,
        );
      if (o.out && !o.force && fs.existsSync(o.out))
        throw new BadInput(
          '--out',
          `${o.out} 已存在，用 --force 覆盖 / ${o.out} exists: use --force to overwrite`,
        );
      const store = await storeOf(await getSession());
      const sources =
        given ?? reportSourcesOf({ assessment: createAssessmentService({ store }), cards: store });
      const report = await publicReport(store, sources, { plan: o.plan, year: o.year, today });
      if (!report) throw new BadInput('plan', `plan：没有方案 ${o.plan} / plan: no plan ${o.plan}`);
      if (o.json) say(JSON.stringify(report, null, 2));
      if (!o.out) return;
      fs.writeFileSync(o.out, (await renderReport(report, format)).bytes);
      if (!o.json) {
        say(`已写入 ${o.out}（${report.year} 年度公开报告） / wrote ${o.out}`);
        say(reportSummary(report));
      }
    });
}
