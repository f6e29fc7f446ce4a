import { type Command, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import YAML from 'yaml';
import type { CommandArgs, CommandName } from '../services/facade';
import { BadInput } from '../services/errors';

// `duban task reassign | edit | add-milestone | split`: a supervisor's changes to a running task, each
// with a reason; the fields' rules are the contract's (domain/commands.ts), checked again by the task.

type Action = <T extends CommandName>(
  type: T,
  toArgs: (o: Record<string, string>) => CommandArgs[T],
) => (id: string, opts: Record<string, string> & { json?: boolean }) => Promise<void>;
/** The option checks of cli/task.ts (passed in: that file registers these commands). */
export interface OptionChecks {
  byContract: (type: CommandName, field: string, option: string) => (v: string) => string;
  nonEmpty: (field: string) => (v: string) => string;
}
type Sub = CommandArgs['splitTask']['subs'][number];

/** `A,B` (also `，` or `、`) -> [A, B]; an empty list stays empty (`--cooperating ""`: none). */
const names = (v: string) =>
  v
    .split(/[,，、]/)
    .map((d) => d.trim())
    .filter(Boolean);

/** `--sub "title;due;lead[;cooperating]"`, repeatable; leads and cooperating ones split on commas. */
function subOption(v: string, all: Sub[] = []): Sub[] {
  const [title, due, lead, cooperating, ...rest] = v.split(/[;；]/).map((p) => p.trim());
  if (!title || !due || !lead || rest.length > 0)
    throw new InvalidArgumentError(
      `--sub 应为 "名称;截止日期;牵头单位[;配合单位]"：${v} / --sub must be "title;due;lead[;cooperating]": ${v}`,
    );
  return [
    ...all,
    { title, due, lead: names(lead), ...(cooperating ? { cooperating: names(cooperating) } : {}) },
  ];
}

/** `--into FILE.yaml`: a list of sub-tasks, or `{subs: […]}`, each `{title, due, lead, cooperating?}`. */
function subsFromFile(file: string): Sub[] {
  let doc: unknown;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BadInput('--into', `--into ${file}: ${(e as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { subs?: unknown } | null)?.subs;
  if (!Array.isArray(list))
    throw new BadInput(
      '--into',
      `--into ${file}: 应为子任务列表（或 subs: […]） / must be a list of sub-tasks (or subs: […])`,
    );
  // A department list may be written `区环保局,区水利局` as on the command line.
  return list.map((s: unknown) => {
    if (!s || typeof s !== 'object') return s as Sub;
    const o = { ...(s as Record<string, unknown>) };
    for (const k of ['lead', 'cooperating']) if (typeof o[k] === 'string') o[k] = names(o[k] as string);
    if (o.due instanceof Date) o.due = o.due.toISOString().slice(0, 10);
    return o as unknown as Sub;
  });
}

export function registerTaskChangeCommands(
  actOn: (name: string, zh: string) => Command,
  commandAction: Action,
  { byContract, nonEmpty }: OptionChecks,
): void {
  actOn(
    'reassign',
    '改派（转办）：更换牵头或配合单位（督查室） / reassign: new lead or cooperating departments (supervisor)',
  )
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .option('--lead <departments>', '新的牵头单位，用逗号分隔 / the new lead departments, comma-separated')
    .option(
      '--cooperating <departments>',
      '新的配合单位，用逗号分隔（"" 为无） / the new cooperating departments ("" for none)',
    )
    .requiredOption('--reason <text>', '改派理由 / reason', nonEmpty('--reason'))
    .action(
      commandAction('reassign', (o) => ({
        actor: o.as,
        ...(o.lead !== undefined ? { lead: names(o.lead) } : {}),
        ...(o.cooperating !== undefined ? { cooperating: names(o.cooperating) } : {}),
        reason: o.reason,
      })),
    );
  actOn('edit', "修改任务名称或内容（督查室） / edit the task's title or content (supervisor)")
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .option('--title <text>', '新的任务名称 / the new title', byContract('editTask', 'title', '--title'))
    .option('--content <text>', '新的任务内容 / the new content')
    .requiredOption('--reason <text>', '修改理由 / reason', nonEmpty('--reason'))
    .action(
      commandAction('editTask', (o) => ({
        actor: o.as,
        ...(o.title !== undefined ? { title: o.title } : {}),
        ...(o.content !== undefined ? { content: o.content } : {}),
        reason: o.reason,
      })),
    );
  actOn('add-milestone', '增加里程碑（督查室） / add a milestone (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption(
      '--due <date>',
      '里程碑日期 YYYY-MM-DD / its date',
      byContract('addMilestone', 'due', '--due'),
    )
    .requiredOption('--title <text>', '里程碑名称 / what is due', nonEmpty('--title'))
    .requiredOption('--reason <text>', '增加理由 / reason', nonEmpty('--reason'))
    .action(
      commandAction('addMilestone', (o) => ({ actor: o.as, due: o.due, title: o.title, reason: o.reason })),
    );
  actOn(
    'split',
    '拆分为子任务，子任务另行交办（督查室） / split into sub-tasks, each started as a task (supervisor)',
  )
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .option('--into <file>', '子任务文件（YAML） / a YAML file of sub-tasks')
    .option(
      '--sub <spec>',
      '子任务 "名称;截止日期;牵头单位[;配合单位]"，可重复 / a sub-task "title;due;lead[;cooperating]", repeatable',
      subOption,
    )
    .requiredOption('--reason <text>', '拆分理由 / reason', nonEmpty('--reason'))
    .action(
      commandAction('splitTask', (o) => {
        const given = o as unknown as { into?: string; sub?: Sub[] };
        if (Boolean(given.into) === Boolean(given.sub))
          throw new BadInput('--into', '请给出 --into 或 --sub 之一 / give --into FILE or --sub …, not both');
        return { actor: o.as, subs: given.into ? subsFromFile(given.into) : given.sub!, reason: o.reason };
      }),
    );
}
