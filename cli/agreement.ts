import type { Command } from 'commander';
import { ROLE_ZH, type AgreementContent } from '../domain/agreement';
import { createAgreementService, type AgreementService, type AgreementView } from '../services/agreements';
import { BadInput } from '../services/errors';
import { table } from './format';
import type { CliContext, Session } from './session';
import { nonEmpty } from './task';

// `duban agreement …`: a unit's 目标责任书 for a year, and its signing (签订) by that unit.

async function serviceOf(s: Session): Promise<AgreementService> {
  if (!s.store) throw new BadInput('plan', '此处不能使用目标责任书 / agreements are not available here');
  return createAgreementService({ store: await s.store() });
}

export const yearOf = (raw: string): number => {
  if (!/^\d{4}$/.test(raw.trim()))
    throw new BadInput('year', `year：“${raw}”不是年份 / year: “${raw}” is not a year`);
  return Number(raw.trim());
};

function contentText(a: AgreementContent): string {
  const where = (r?: string) => (r ? `/${r}` : '');
  const parts = [
    `目标责任书 / responsibility agreement：${a.unit}（${a.kind === 'region' ? '镇街' : '责任单位'}） ${a.plan} ${a.year} 年度`,
    `任务 / tasks (${a.tasks.length})\n${table(
      ['编号', '任务', '职责', '时限'],
      a.tasks.map((t) => [`${t.taskId}${where(t.region)}`, t.title, ROLE_ZH[t.role], t.due]),
    )}`,
  ];
  if (a.milestones.length)
    parts.push(
      `节点 / milestones (${a.milestones.length})\n${table(
        ['编号', '节点', '时限'],
        a.milestones.map((m) => [`${m.taskId}${where(m.region)}`, m.title, m.due]),
      )}`,
    );
  if (a.duties.length)
    parts.push(
      `定期任务 / duties (${a.duties.length})\n${table(
        ['编号', '任务', '职责', '周期'],
        a.duties.map((d) => [`${d.dutyId}${where(d.region)}`, d.title, ROLE_ZH[d.role], d.period]),
      )}`,
    );
  if (a.indicators.length)
    parts.push(
      `指标目标 / indicator targets (${a.indicators.length})\n${table(
        ['指标', '区域', '目标', '职责'],
        a.indicators.map((i) => [i.name, i.region ?? '', i.target, ROLE_ZH[i.role]]),
      )}`,
    );
  return parts.join('\n\n');
}

const signedText = (v: AgreementView) =>
  v.signed
    ? `已签订 / signed：${v.signed.by} ${v.signed.at}（台账 / ledger ${v.signed.workflowId} #${v.signed.seq}）${
        v.current
          ? ''
          : `\n签订后内容已变更，须重新签订 / changed since signed: signed ${v.signed.hash}, now ${v.hash}`
      }`
    : `未签订 / not signed（内容摘要 / content hash ${v.hash}）`;

export function registerAgreementCommands(program: Command, { say, getSession }: CliContext): void {
  const group = program
    .command('agreement')
    .description('目标责任书：查看、签订 / responsibility agreements: show, sign');
  const scope = (c: Command) =>
    c
      .requiredOption('--plan <plan>', '方案编号 / plan id', nonEmpty('--plan'))
      .requiredOption('--year <year>', '年度 / year', nonEmpty('--year'))
      .requiredOption('--unit <unit>', '镇街或责任单位 / the 镇街 or department', nonEmpty('--unit'));

  scope(group.command('show').description('某单位的年度目标责任书 / a unit’s agreement for a year'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { plan: string; year: string; unit: string; json?: boolean }) => {
      const v = await (
        await serviceOf(await getSession())
      ).show(o.plan.trim(), yearOf(o.year), o.unit.trim());
      if (o.json) return say(JSON.stringify(v, null, 2));
      say(`${contentText(v.agreement)}\n\n${signedText(v)}`);
    });

  scope(
    group
      .command('sign')
      .description(
        '签订目标责任书（仅该单位本身，督查室不能代签） / sign (the unit itself; not a supervisor)',
      ),
  )
    .requiredOption('--as <unit>', '签订单位 / the unit signing', nonEmpty('--as'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { plan: string; year: string; unit: string; as: string; json?: boolean }) => {
      const v = await (
        await serviceOf(await getSession())
      ).sign(o.plan.trim(), yearOf(o.year), o.unit.trim(), o.as.trim(), new Date().toISOString());
      if (o.json) return say(JSON.stringify(v, null, 2));
      say(
        v.recorded
          ? `已签订 / signed：${v.agreement.unit} ${v.agreement.year} 年度目标责任书（台账 / ledger ${v.signed!.workflowId} #${v.signed!.seq}，内容摘要 / hash ${v.hash}）`
          : `此前已签订，内容未变 / already signed, unchanged（台账 / ledger ${v.signed!.workflowId} #${v.signed!.seq}）`,
      );
    });
}
