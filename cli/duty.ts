import { InvalidArgumentError, type Command } from 'commander';
import { ESCALATION_ZH, PERIOD_ZH, STATUS_ZH, isSlug, slugMessage } from '../domain';
import type { DutyListItem } from '../services/duties';
import type { CliContext } from './session';
import { table } from './format';

const STATE_ZH: Record<DutyListItem['status'], string> = {
  running: '进行中',
  ended: '已到期结束',
  review: '待核定周期',
};

function currentText(d: DutyListItem): string {
  if (d.current) {
    const esc = d.current.escalation === 'none' ? '' : `，${ESCALATION_ZH[d.current.escalation]}`;
    return `${d.current.period} ${d.current.id} 截止 ${d.current.due}（${STATUS_ZH[d.current.status]}${esc}）`;
  }
  if (d.next) return `${d.next.period} 于 ${d.next.opensOn} 开始`;
  return '—';
}

/** `duban duty …`: a plan's recurring duties (定期 / 每季度 … 任务) and where each stands. */
export function registerDutyCommands(program: Command, { say, getSession }: CliContext): void {
  const duty = program
    .command('duty')
    .description('周期性工作（每季度、每半年、每年） / recurring duties (quarterly, half-yearly, yearly)');

  duty
    .command('list')
    .description('方案的周期性工作及其本期任务 / a plan’s recurring duties and each one’s current occurrence')
    .requiredOption('--plan <plan>', '方案编号 / plan id', (v: string) => {
      if (!isSlug(v)) throw new InvalidArgumentError(slugMessage('方案编号', 'a plan id'));
      return v;
    })
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (opts: { plan: string; json?: boolean }) => {
      const s = await getSession();
      const duties = await s.facade.duties(opts.plan);
      if (opts.json) {
        say(JSON.stringify(duties, null, 2));
        return;
      }
      if (duties.length === 0) {
        say(`方案 ${opts.plan} 没有已交办的周期性工作 / plan ${opts.plan} has no recurring duty started`);
        return;
      }
      say(
        table(
          ['编号', '周期', '牵头', '配合', '状态', '本期'],
          duties.map((d) => [
            d.region ? `${d.id}/${d.region}` : d.id,
            d.every ? `${PERIOD_ZH[d.every]} ${d.every}` : '定期（未定）',
            d.lead.join('、'),
            d.cooperating.join('、') || '—',
            STATE_ZH[d.status],
            currentText(d),
          ]),
        ).replace(/\n$/, ''),
      );
    });
}
