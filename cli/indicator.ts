import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { actualText, targetText, type IndicatorStatus } from '../domain/indicators';
import { BadInput } from '../services/errors';
import type { IndicatorService } from '../services/indicators';
import { table } from './format';
import type { CliContext, Session } from './session';
import { nonEmpty } from './task';

// `duban indicator …`: the plan's indicators judged, and the measuring department's values.

async function serviceOf(s: Session): Promise<IndicatorService> {
  if (!s.indicators) throw new BadInput('plan', '此处不能使用指标 / indicators are not available here');
  return s.indicators();
}

const yearOf = (raw: string): number => {
  if (!/^\d{4}$/.test(raw.trim()))
    throw new BadInput('year', `year：“${raw}”不是年份 / year: “${raw}” is not a year`);
  return Number(raw.trim());
};

const metText = (met: boolean | null) =>
  met === null ? '待报送 / no value' : met ? '达标 / met' : '未达标 / missed';

function listText(list: IndicatorStatus[]): string {
  return list
    .map((i) => {
      const rows = i.targets.map((t) => [
        String(t.year),
        t.region ?? '',
        targetText(t.op, t.value, i.unit),
        t.actual === null ? '' : actualText(t.actual, i.unit),
        metText(t.met),
      ]);
      return `${i.id}  ${i.name}（${i.unit}，监测：${i.department}）\n${table(['年度', '区域', '目标', '实际', '判定'], rows)}`;
    })
    .join('\n\n');
}

export function registerIndicatorCommands(program: Command, { say, getSession, cwd }: CliContext): void {
  const group = program
    .command('indicator')
    .description(
      '主要指标：逐年目标、录入监测值、导入监测数据 / indicators: yearly targets, values, imports',
    );

  group
    .command('list')
    .description('方案的指标及逐年目标完成情况 / the plan’s indicators, each year judged')
    .requiredOption('--plan <plan>', '方案编号 / plan id', nonEmpty('--plan'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { plan: string; json?: boolean }) => {
      const list = await (await serviceOf(await getSession())).list(o.plan.trim());
      if (o.json) {
        say(
          JSON.stringify(
            list.map((i) => ({
              id: i.id,
              name: i.name,
              unit: i.unit,
              department: i.department,
              targets: i.targets,
            })),
            null,
            2,
          ),
        );
        return;
      }
      say(listText(list));
    });

  group
    .command('record')
    .description('录入监测值（仅负责监测的单位） / record a value (the measuring department only)')
    .requiredOption('--plan <plan>', '方案编号 / plan id', nonEmpty('--plan'))
    .requiredOption('--indicator <id>', '指标编号 / indicator id', nonEmpty('--indicator'))
    .requiredOption('--year <year>', '年度 / year', nonEmpty('--year'))
    .requiredOption(
      '--value <value>',
      '数值（可带单位）或水质类别 / a number (its unit optional) or a class',
      nonEmpty('--value'),
    )
    .option('--region <region>', '镇街或河流断面 / region or river section', nonEmpty('--region'))
    .requiredOption('--as <department>', '监测单位 / the measuring department', nonEmpty('--as'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(
      async (o: {
        plan: string;
        indicator: string;
        year: string;
        value: string;
        region?: string;
        as: string;
        json?: boolean;
      }) => {
        const r = await (
          await serviceOf(await getSession())
        ).record(
          o.plan.trim(),
          {
            indicator: o.indicator.trim(),
            year: yearOf(o.year),
            value: o.value,
            region: o.region,
            as: o.as.trim(),
          },
          'cli',
        );
        if (o.json) {
          say(JSON.stringify(r, null, 2));
          return;
        }
        say(
          `已录入 / recorded：${r.indicator} ${r.year} 年${r.region ? ` ${r.region}` : ''} = ${actualText(r.value, r.unit)}（台账 / ledger ${r.workflowId} #${r.seq}）`,
        );
      },
    );

  group
    .command('import')
    .description(
      '导入监测数据 CSV：indicator,year,value[,region]；有错误行则全部不录入 / import monitoring data (CSV); a file with a bad line records nothing',
    )
    .argument('<file>', 'CSV 文件 / the CSV file')
    .requiredOption('--plan <plan>', '方案编号 / plan id', nonEmpty('--plan'))
    .requiredOption('--as <department>', '监测单位 / the measuring department', nonEmpty('--as'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (file: string, o: { plan: string; as: string; json?: boolean }) => {
      let text: string;
      try {
        text = fs.readFileSync(path.resolve(cwd ?? process.cwd(), file), 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new BadInput(
          'file',
          code === 'ENOENT'
            ? `${file}：文件不存在 / file not found`
            : `${file}：无法读取 / cannot read: ${(err as Error).message}`,
        );
      }
      const r = await (await serviceOf(await getSession())).importCsv(o.plan.trim(), text, o.as.trim());
      if (o.json) {
        say(JSON.stringify(r, null, 2));
        return;
      }
      say(`已录入 ${r.recorded} 条 / ${r.recorded} value(s) recorded`);
    });
}
