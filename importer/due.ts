import type { BreakdownTask, PlanWarning } from './breakdown';
import type { PlanHeader } from './header';
import type { PlanYear } from './plan-year';

/**
 * The due date each task's workflow runs to: its latest dated deadline (`by` or `target`); for a task with
 * none (undated, recurring, or only `自…起`), the end of the plan's last working year — the latest year any
 * task's deadline names. See importer/README.md.
 */
export function assignDue(
  tasks: BreakdownTask[],
  indicatorYears: number[],
  header: PlanHeader,
  today: string | undefined,
  warnings: PlanWarning[],
  oneYear?: PlanYear,
) {
  const dated = (t: BreakdownTask) => t.deadlines.filter((d) => d.kind !== 'from').map((d) => d.date);
  const allDated = tasks.flatMap(dated).sort();
  // A one-year plan's undated work is due at the end of its year, whatever later years it mentions.
  const fallbackYear = oneYear
    ? oneYear.year
    : allDated.length > 0
      ? Number(allDated[allDated.length - 1].slice(0, 4))
      : indicatorYears.length > 0
        ? Math.max(...indicatorYears)
        : header.issuedOn
          ? Number(header.issuedOn.slice(0, 4)) + 1
          : Number((today ?? '2000').slice(0, 4));
  const planEnd = `${fallbackYear}-12-31`;
  const undated: string[] = [];
  for (const t of tasks) {
    const ds = dated(t).sort();
    if (ds.length > 0) {
      t.due = ds[ds.length - 1];
      t.dueRule = new Set(ds).size > 1 ? 'last-deadline' : 'deadline';
    } else {
      t.due = planEnd;
      t.dueRule = 'plan-end';
      undated.push(t.id);
    }
  }
  if (undated.length > 0) {
    const basis = oneYear
      ? `年度方案，年份取自${oneYear.from}`
      : allDated.length > 0
        ? '各任务最晚期限所在年度年底'
        : '无任务期限，按指标或发文年份推定';
    warnings.push({
      line: null,
      message:
        `${undated.length} 项任务原文没有完成期限（含周期性工作），截止日期暂定为方案末年 ${planEnd}（${basis}），请逐项核对：${undated.join('、')} / ` +
        `${undated.length} tasks have no deadline in the text (recurring duties included): their due date is the plan's last year end, ${planEnd}; check each`,
    });
  }
  const assumed = tasks.filter((t) => t.recurrence?.assumed).map((t) => t.id);
  if (assumed.length > 0)
    warnings.push({
      line: null,
      message:
        `${assumed.length} 项任务只写“定期”，周期暂按每年，请核对：${assumed.join('、')} / ` +
        `${assumed.length} tasks say only “regularly” (定期): taken as yearly; check`,
    });
}
