import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import {
  CARD_COLORS,
  COLOR_ZH,
  INSPECTION_RESULTS,
  cardSummary,
  type CardColor,
  type CardMeasure,
} from '../domain/cards';
import { localTime } from '../domain';
import { BadInput } from '../services/errors';
import type { EnterpriseService } from '../services/enterprises';
import { table } from './format';
import type { CliContext, Session } from './session';
import { nonEmpty } from './task';

// `duban enterprise …`: the registry of polluting enterprises, their inspections and 红黄牌.

async function serviceOf(s: Session, create = false): Promise<EnterpriseService> {
  if (!s.enterprises) throw new BadInput('code', '此处不能使用企业名录 / enterprises are not available here');
  return s.enterprises({ create });
}

const oneOf =
  <T extends string>(flag: string, values: readonly T[]) =>
  (raw: string): T => {
    const v = raw.trim() as T;
    if (!values.includes(v))
      throw new BadInput(
        flag.replace(/^--/, ''),
        `${flag} 应为 ${values.join('、')} / ${flag} must be one of ${values.join(', ')}`,
      );
    return v;
  };

export function registerEnterpriseCommands(program: Command, { say, getSession, cwd }: CliContext): void {
  const group = program
    .command('enterprise')
    .description('排污企业名录、检查与红黄牌 / enterprises: registry, inspections, yellow and red cards');

  group
    .command('add')
    .description(
      '登记企业（区环保局或督查室） / register an enterprise (the environment department or a supervisor)',
    )
    .requiredOption('--name <name>', '企业名称 / name', nonEmpty('--name'))
    .requiredOption(
      '--code <code>',
      '统一社会信用代码（18 位） / unified social credit code',
      nonEmpty('--code'),
    )
    .requiredOption('--region <region>', '所在镇街 / the 镇街', nonEmpty('--region'))
    .requiredOption('--sector <sector>', '行业 / sector', nonEmpty('--sector'))
    .requiredOption('--as <department>', '区环保局 或 supervisor', nonEmpty('--as'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(
      async (o: {
        name: string;
        code: string;
        region: string;
        sector: string;
        as: string;
        json?: boolean;
      }) => {
        const { as, json, ...input } = o;
        const e = await (await serviceOf(await getSession(), true)).add(input, as);
        say(
          json
            ? JSON.stringify(e, null, 2)
            : `已登记 / registered：${e.name}（${e.code}，${e.region}，${e.sector}）`,
        );
      },
    );

  group
    .command('import')
    .description(
      '导入企业名录 CSV：name,code,region,sector；有错误行则全部不登记 / import enterprises (CSV); a file with a bad line registers nothing',
    )
    .argument('<file>', 'CSV 文件 / the CSV file')
    .requiredOption('--as <department>', '区环保局 或 supervisor', nonEmpty('--as'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (file: string, o: { as: string; json?: boolean }) => {
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
      const r = await (await serviceOf(await getSession(), true)).importCsv(text, o.as);
      say(
        o.json
          ? JSON.stringify(r, null, 2)
          : `已登记 ${r.added} 家企业 / ${r.added} enterprise(s) registered`,
      );
    });

  group
    .command('list')
    .description('企业名录及其红黄牌 / the registry, each enterprise with its open card')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const service = await serviceOf(await getSession());
      const [list, open] = await Promise.all([service.list(), service.cards({ openOnly: true })]);
      const cardOf = new Map(open.map((c) => [c.code, c]));
      if (o.json) {
        say(
          JSON.stringify(
            list.map((e) => {
              const c = cardOf.get(e.code);
              return {
                ...e,
                card: c ? cardSummary(c) : null,
              };
            }),
            null,
            2,
          ),
        );
        return;
      }
      if (list.length === 0) return say('（没有登记的企业 / no enterprise registered）');
      const rows = list.map((e) => {
        const c = cardOf.get(e.code);
        return [
          e.name,
          e.code,
          e.region,
          e.sector,
          c
            ? `${COLOR_ZH[c.color]}（${c.measure}）${c.due && c.color === 'yellow' ? ` 期限 ${c.due}` : ''}`
            : '—',
        ];
      });
      say(table(['企业', '统一社会信用代码', '镇街', '行业', '红黄牌'], rows));
      say(
        `\n共 ${list.length} 家，挂牌 ${open.length} 家 / ${list.length} enterprise(s), ${open.length} carded`,
      );
    });

  group
    .command('inspect')
    .description(
      '记录检查结果；有牌的企业复查合格即撤牌，不合格黄牌升红牌 / record an inspection; on a carded enterprise pass lifts the card, fail turns a yellow red',
    )
    .requiredOption('--code <code>', '统一社会信用代码 / credit code', nonEmpty('--code'))
    .requiredOption('--result <result>', 'pass 合格 | fail 不合格', oneOf('--result', INSPECTION_RESULTS))
    .requiredOption('--note <text>', '检查情况 / what was found', nonEmpty('--note'))
    .requiredOption('--as <department>', '区环保局 或 supervisor', nonEmpty('--as'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(
      async (o: { code: string; result: 'pass' | 'fail'; note: string; as: string; json?: boolean }) => {
        const r = await (await serviceOf(await getSession())).inspect(o, o.as);
        if (o.json) return say(JSON.stringify(r, null, 2));
        if (!r.card) return say(`已记录检查 / inspection recorded（台账 / ledger #${r.seq}）`);
        const s = r.card;
        say(
          s.status === 'lifted'
            ? `复查合格，已撤牌 / passed: the card is lifted：${s.enterprise.name}`
            : `复查不合格 / failed：${s.enterprise.name} 现为${COLOR_ZH[s.color]}（${s.measure}）`,
        );
      },
    );

  group
    .command('card')
    .description(
      '挂黄牌（限产、停产整治，限期整改）或红牌（停业、关闭） / give a yellow card (with a deadline) or a red one',
    )
    .requiredOption('--code <code>', '统一社会信用代码 / credit code', nonEmpty('--code'))
    .requiredOption('--color <color>', 'yellow 黄牌 | red 红牌', oneOf('--color', CARD_COLORS))
    .requiredOption('--reason <text>', '理由 / reason', nonEmpty('--reason'))
    .option('--measure <measure>', '措施：限产、停产整治（黄牌）；停业、关闭（红牌） / the measure')
    .option(
      '--due <date>',
      '整改期限 YYYY-MM-DD（黄牌；默认按策略） / the deadline (yellow; default from policy)',
    )
    .option('--plan <plan>', '所属工作方案 / the plan it is given under')
    .requiredOption('--as <department>', '区环保局 或 supervisor', nonEmpty('--as'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(
      async (o: {
        code: string;
        color: CardColor;
        reason: string;
        measure?: string;
        due?: string;
        plan?: string;
        as: string;
        json?: boolean;
      }) => {
        const { as, json, measure, ...rest } = o;
        const r = await (
          await serviceOf(await getSession())
        ).card({ ...rest, ...(measure ? { measure: measure.trim() as CardMeasure } : {}) }, as);
        if (json) return say(JSON.stringify(r, null, 2));
        say(
          `已挂${COLOR_ZH[r.color]} / card given：${r.code} 第 ${r.card} 张（${r.measure}${r.due ? `，整改期限 ${r.due}` : ''}）`,
        );
      },
    );

  group
    .command('cards')
    .description('红黄牌记录（来自数据库） / the cards (from the database)')
    .option('--all', '包括已撤销的 / include lifted ones')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const list = await (await serviceOf(await getSession())).cards({ openOnly: !o.all });
      if (o.json) return say(JSON.stringify(list, null, 2));
      if (list.length === 0) return say('（没有红黄牌 / no cards）');
      const rows = list.map((c) => [
        c.name,
        c.code,
        c.region,
        `${COLOR_ZH[c.color]}（${c.measure}）`,
        localTime(c.since),
        c.due ?? '',
        c.status === 'open' ? '挂牌中' : `已撤销 ${c.liftedAt ? localTime(c.liftedAt) : ''}`,
      ]);
      say(table(['企业', '统一社会信用代码', '镇街', '牌', '自', '整改期限', '状态'], rows));
    });
}
