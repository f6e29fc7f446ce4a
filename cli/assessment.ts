import type { Command } from 'commander';
import type { Assessment } from '../domain/assessment';
import { createAssessmentService } from '../services/assessment';
import { BadInput } from '../services/errors';
import { yearOf } from './agreement';
import { table } from './format';
import type { CliContext } from './session';
import { nonEmpty } from './task';

// `duban assessment run`: the yearly 考核 of a plan's 镇街 and departments.

const pts = (n: number | null) => (n === null ? '—' : n.toFixed(2));

function rankingText(a: Assessment): string {
  const rows = a.ranking.map((u) => [
    String(u.rank),
    u.unit,
    u.kind === 'region' ? '镇街' : '部门',
    u.score.toFixed(2),
    pts(u.parts.onTime),
    pts(u.parts.indicators),
    u.parts.escalations.toFixed(2),
    `${u.counts.onTime}/${u.counts.due}`,
    `${u.counts.met}/${u.counts.targets}`,
    `${u.counts.interviews}/${u.counts.restrictions}/${u.counts.accountability}`,
  ]);
  const w = a.policy.weights;
  const d = a.policy.deductions;
  return `${a.plan} ${a.year} 年度考核 / assessment（截至 / as of ${a.asOf}；权重 / weights 按期 ${w.onTime} 指标 ${w.indicators}；扣分 / deductions 约谈 ${d.interview} 限批 ${d.restriction} 追责 ${d.accountability}）\n${table(
    ['名次', '单位', '类别', '得分', '按期', '指标', '扣分', '按期/到期', '达标/目标', '约谈/限批/追责'],
    rows,
  )}`;
}

export function registerAssessmentCommands(program: Command, { say, today, getSession }: CliContext): void {
  const group = program.command('assessment').description('年度考核 / the yearly assessment');
  group
    .command('run')
    .description('考核方案各镇街、部门的年度得分并排名 / score and rank every 镇街 and department for a year')
    .requiredOption('--plan <plan>', '方案编号 / plan id', nonEmpty('--plan'))
    .requiredOption('--year <year>', '年度 / year', nonEmpty('--year'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { plan: string; year: string; json?: boolean }) => {
      const s = await getSession();
      if (!s.store) throw new BadInput('plan', '此处不能考核 / the assessment is not available here');
      const a = await createAssessmentService({ store: await s.store() }).run(
        o.plan.trim(),
        yearOf(o.year),
        today,
      );
      if (o.json) return say(JSON.stringify(a, null, 2));
      say(rankingText(a));
    });
}
