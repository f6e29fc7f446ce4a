import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { bulletinSummary } from '../office/bulletin-document';
import { bulletinFile } from '../services/bulletin';
import { BadInput } from '../services/errors';
import { storeOf } from './restriction';
import type { CliContext } from './session';

interface BulletinOptions {
  plan: string;
  period?: string;
  format?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

/** `duban bulletin`: the 督查通报 of a plan as .docx or .pdf, by department and 镇街, the worst named. */
export function registerBulletinCommands(program: Command, { say, today, getSession }: CliContext): void {
  program
    .command('bulletin')
    .description(
      '督查通报：按单位、镇街统计办结、按期、逾期、约谈限批追责，点名通报（.docx 或 .pdf） / ' +
        'the bulletin: completed, on time, overdue and escalated by department and 镇街, the worst named',
    )
    .requiredOption('--plan <plan>', '方案编号 / the plan id')
    .option(
      '--period <period>',
      '统计期：月份 2027-03、季度 2027Q1 或年份 2027（默认截至今日） / a month, quarter or year',
    )
    .option('--format <format>', 'docx 或 pdf（默认按 --out 的扩展名） / docx or pdf (default: from --out)')
    .option('--out <file>', '写入文件 / the file to write')
    .option('--force', '覆盖已有的 --out 文件 / overwrite the --out file')
    .option('--json', '只输出统计数字（JSON），不写文件 / print the figures as JSON, write no file')
    .action(async (o: BulletinOptions) => {
      if (!o.json && !o.out) throw new BadInput('--out', '请用 --out 指定文件 / give the file with --out');
      const format = o.format ?? (o.out ? path.extname(o.out).slice(1).toLowerCase() : 'docx');
      if (o.out && !o.force && fs.existsSync(o.out))
        throw new BadInput(
          '--out',
          `${o.out} 已存在，用 --force 覆盖 / ${o.out} exists: use --force to overwrite`,
        );
      const store = await storeOf(await getSession());
      const { bulletin, file } = await bulletinFile(store, { plan: o.plan, period: o.period, format, today });
      if (o.json) {
        say(JSON.stringify(bulletin, null, 2));
        if (!o.out) return;
      }
      fs.writeFileSync(o.out!, file.bytes);
      if (!o.json) {
        say(`已写入 ${o.out}（督查通报，${bulletin.period.label}） / wrote ${o.out}`);
        say(bulletinSummary(bulletin));
      }
    });
}
