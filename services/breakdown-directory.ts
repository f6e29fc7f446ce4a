import type { Config } from '../config/config';
import { findDepartment, loadDirectory, unitKind, type Directory } from '../directory/directory';
import type { Breakdown, BreakdownIssue } from '../importer';
import { aliasMap } from '../importer/expand';
import { isRegionCollective, departmentKey } from '../importer/departments';
import { didYouMean } from '../importer/similar';

// A breakdown is checked against the directory as a task file is: a department the directory does not know
// never hears of its task (its mail is only logged as undeliverable) while the ladder climbs to 追责.

const KIND_ZH = { department: '单位', region: '镇街' } as const;

/** Every lead, cooperating department and region of a breakdown the directory has no entry for, by task. */
export function directoryIssues(b: Breakdown, dir: Pick<Directory, 'departments'>): BreakdownIssue[] {
  const names = aliasMap(b);
  const known = Object.entries(dir.departments).flatMap(([d, { aliases }]) => [d, ...aliases]);
  const out: BreakdownIssue[] = [];
  const unknown = (path: string, task: string, name: string, kind: 'department' | 'region') => {
    if (findDepartment(dir, name) !== undefined) return;
    const near = didYouMean(name, known, departmentKey);
    const guess = near === undefined ? undefined : findDepartment(dir, near);
    const zh = `任务 ${task}：未知${KIND_ZH[kind]} ${name}，通讯录中没有${guess ? `，是否应为 ${guess}？` : ''}`;
    const en = `task ${task}: unknown ${kind} ${name}, not in the directory${guess ? ` — did you mean ${guess}?` : ''}`;
    out.push({ path, message: `${zh} / ${en}` });
  };
  b.tasks.forEach((t, i) => {
    for (const role of ['lead', 'cooperating'] as const)
      t[role].forEach((n, j) => {
        // 各镇街 stands for the task's regions, checked below.
        if (isRegionCollective(n)) return;
        // The workflows get the name the breakdown lists the department under.
        const name = names.get(n) ?? n;
        unknown(`tasks[${i}].${role}[${j}]`, t.id, name, unitKind(dir, name) ?? 'department');
      });
    t.regions.forEach((r, k) => unknown(`tasks[${i}].regions[${k}]`, t.id, r, 'region'));
    if (t.restriction?.region)
      unknown(`tasks[${i}].restriction.region`, t.id, t.restriction.region, 'region');
  });
  return out;
}

/** The directory the configuration names, read on first use; none without a configuration. */
export function directoryOf(config: Config | undefined): () => Directory | undefined {
  let dir: Directory | undefined;
  return () => config && (dir ??= loadDirectory(config.directoryFile));
}
