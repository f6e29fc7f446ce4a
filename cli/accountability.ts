import type { Command } from 'commander';
import { postsOf } from '../directory/directory';
import type { AccountabilityEntry } from '../store';
import type { CliContext, Session } from './session';
import { nonEmpty } from './task';
import { storeOf } from './restriction';
import { RUNG_ZH, localTime, shortId, type Rung } from '../domain';
import { table } from './format';

/** The person's posts as the directory records them, or nothing when it cannot say. */
function careerLine(s: Session, person: string): string | undefined {
  let posts: ReturnType<typeof postsOf>;
  try {
    posts = s.directory ? postsOf(s.directory(), person) : [];
  } catch {
    return undefined;
  }
  if (posts.length === 0) return undefined;
  const terms = posts.map((p) => `${p.from}${p.to ? `—${p.to}` : ' 起'} ${p.department}${p.post}`);
  return `${person} 任职经历 / posts held：${terms.join('；')}`;
}

function recordsTable(records: AccountabilityEntry[]): string {
  const rows = records.map((r) => [
    localTime(r.at).slice(0, 10),
    r.person.name,
    `${r.person.department}${r.person.post}`,
    shortId(r.taskWorkflowId),
    RUNG_ZH[r.rung as Rung['kind']] ?? r.rung,
    r.reason,
    r.referral,
  ]);
  return table(['日期', '姓名', '时任职务', '任务', '环节', '理由', '移送'], rows);
}

/** `duban accountability list`: 追责 records, which stay with the person wherever they move (终身追责). */
export function registerAccountabilityCommands(program: Command, { say, getSession }: CliContext): void {
  const group = program.command('accountability').description('追责记录 / accountability records');
  group
    .command('list')
    .description(
      '列出追责记录；按姓名查询可查到其调任后的记录（终身追责） / list records; by person, after any move',
    )
    .option('--person <name>', '按姓名 / by the person named', nonEmpty('--person'))
    .option('--dept <department>', '按时任单位 / by the department served in at the time', nonEmpty('--dept'))
    .option('--task <id>', '按任务 / by task (plan/id or a workflow id)', nonEmpty('--task'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { person?: string; dept?: string; task?: string; json?: boolean }) => {
      const s = await getSession();
      const records = await (
        await storeOf(s)
      ).listAccountability({
        person: o.person?.trim(),
        department: o.dept?.trim(),
        taskWorkflowId: o.task === undefined ? undefined : s.facade.resolveId(o.task),
      });
      if (o.json) {
        say(JSON.stringify(records, null, 2));
        return;
      }
      const career = o.person ? careerLine(s, o.person.trim()) : undefined;
      if (career) say(career);
      if (records.length === 0) {
        say('（没有符合条件的追责记录 / no accountability records match）');
        return;
      }
      say(recordsTable(records));
      say(`\n共 ${records.length} 条 / ${records.length} record(s)`);
    });
}
