import type { Command } from 'commander';
import {
  SUPERVISOR,
  isRestricted,
  localTime,
  shortId,
  type ActiveRestriction,
  type RestrictionRecord,
} from '../domain';
import type { RestrictionChange } from '../workflows/restriction-messages';
import type { CliContext, Session } from './session';
import { nonEmpty } from './task';
import { StoreMissing } from '../services/errors';
import { TemporalUnavailable } from '../services/errors';
import { table } from './format';

const who = (by: string) => (by === SUPERVISOR ? '督查室' : by === 'ladder' ? '督办阶梯自动升级' : by);
const cause = (r: Pick<ActiveRestriction, 'taskWorkflowId'>) =>
  r.taskWorkflowId ? `任务 ${shortId(r.taskWorkflowId)}` : '督查室决定';

export function restrictionsOf(s: Session) {
  if (!s.restrictions) throw new Error('this session cannot reach the restriction workflows');
  return s.restrictions;
}
export async function storeOf(s: Session) {
  if (!s.store) throw new Error('this session has no store');
  return s.store();
}

/** The region's restrictions in force: live from its workflow, or from the store (saying so) when Temporal is down. */
async function activeIn(s: Session, region: string, warn: (m: string) => void): Promise<ActiveRestriction[]> {
  try {
    await s.ensureTemporal();
    return await restrictionsOf(s).active(region);
  } catch (e) {
    if (!(e instanceof TemporalUnavailable) || !s.store) throw e;
    let stored: RestrictionRecord[];
    try {
      stored = await (await s.store()).listRestrictions({ region, activeOnly: true });
    } catch (inner) {
      if (inner instanceof StoreMissing) throw e;
      throw inner;
    }
    warn(
      `（实时状态不可用，显示数据库记录 / live state unavailable, showing the stored record: ${e.message}）`,
    );
    return stored.map(({ seq: _seq, lifted: _lifted, ...r }) => r);
  }
}

function changeText(verb: 'impose' | 'lift', region: string, sector: string, c: RestrictionChange): string {
  if (c.events.length === 0)
    return `${region} ${sector} 已在限批中，无变化 / already restricted; nothing changed`;
  if (verb === 'impose') return `已限批 / restriction imposed：${region} ${sector}`;
  return `已解除限批 / restriction lifted：${region} ${sector}（${c.events.length} 项 / ${c.events.length} lifted）`;
}

/** `duban restriction …`: ask whether a region's sector is under 限批, list them, impose and lift. */
export function registerRestrictionCommands(
  program: Command,
  { say, warn, getSession, withTemporal }: CliContext,
): void {
  const group = program
    .command('restriction')
    .description('限批：查询、列表、实施、解除 / approval restrictions: check, list, impose, lift');

  group
    .command('check')
    .description('查询某镇街某行业是否在限批中（任何人可查） / is a sector of a region under restriction?')
    .requiredOption('--region <region>', '镇街 / region', nonEmpty('--region'))
    .requiredOption('--sector <sector>', '行业，如 涉水、造纸 / sector', nonEmpty('--sector'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { region: string; sector: string; json?: boolean }) => {
      const region = o.region.trim();
      const sector = o.sector.trim();
      const by = isRestricted({ active: await activeIn(await getSession(), region, warn) }, sector);
      if (o.json) {
        say(JSON.stringify({ region, sector, restricted: by.length > 0, by }, null, 2));
        return;
      }
      if (by.length === 0) {
        say(`未限批 / not restricted：${region} ${sector}`);
        return;
      }
      say(`限批中 / restricted：${region} ${sector}`);
      for (const r of by)
        say(`  自 ${localTime(r.since)} 起  ${cause(r)}  理由：${r.reason}（${who(r.by)}）`);
    });

  group
    .command('list')
    .description('列出限批（来自数据库） / list restrictions (from the database)')
    .option('--region <region>', '按镇街筛选 / filter by region', nonEmpty('--region'))
    .option('--all', '包括已解除的 / include lifted ones')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { region?: string; all?: boolean; json?: boolean }) => {
      const store = await storeOf(await getSession());
      const list = await store.listRestrictions({ region: o.region?.trim(), activeOnly: !o.all });
      if (o.json) {
        say(JSON.stringify(list, null, 2));
        return;
      }
      if (list.length === 0) {
        say(o.all ? '（没有限批记录 / no restrictions）' : '（目前没有限批 / no restriction in force）');
        return;
      }
      const rows = list.map((r) => [
        r.region,
        r.sector,
        localTime(r.since),
        r.lifted ? `已解除 ${localTime(r.lifted.at)}` : '限批中',
        cause(r),
        r.reason,
      ]);
      say(table(['镇街', '行业', '限批时间', '状态', '起因', '理由'], rows));
      const active = list.filter((r) => !r.lifted).length;
      say(`\n共 ${list.length} 项，限批中 ${active} 项 / ${list.length} restriction(s), ${active} in force`);
    });

  const act = (name: 'impose' | 'lift', zh: string) =>
    group
      .command(name)
      .description(zh)
      .requiredOption('--region <region>', '镇街 / region', nonEmpty('--region'))
      .requiredOption('--sector <sector>', '行业 / sector', nonEmpty('--sector'))
      .requiredOption('--reason <text>', '理由 / reason', nonEmpty('--reason'))
      .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
      .option('--json', '输出变更 JSON / print the change as JSON')
      .action(async (o: { region: string; sector: string; reason: string; as: string; json?: boolean }) => {
        const s = await withTemporal();
        const args = { actor: o.as, sector: o.sector, reason: o.reason };
        const region = o.region.trim();
        const change = await (name === 'impose'
          ? restrictionsOf(s).impose(region, args)
          : restrictionsOf(s).lift(region, args));
        say(o.json ? JSON.stringify(change, null, 2) : changeText(name, region, o.sector.trim(), change));
      });
  act('impose', '实施限批（督查室，需说明理由） / impose a restriction (supervisor, with a reason)');
  act('lift', '解除限批（督查室，需说明理由） / lift a restriction (supervisor, with a reason)');
}
