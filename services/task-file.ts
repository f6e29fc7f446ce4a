import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { type TaskSpec, bilingual, taskWorkflowId, taskSpecSchema } from '../domain';

/** One thing wrong with a task file: where (`tasks[1].due`) and why (`中文 / English`). */
export interface TaskFileIssue {
  path: string;
  message: string;
}

/** A task file that cannot be used. `message` names the file, the field path and the reason, one issue a line. */
export class TaskFileError extends Error {
  override name = 'TaskFileError';
  constructor(
    readonly file: string,
    readonly issues: TaskFileIssue[],
  ) {
    super(issues.map((i) => `${file}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
  }
}

const MAX_ISSUES = 20;

/** `['tasks', 1, 'lead', 0]` -> `tasks[1].lead[0]`. */
export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function issuesOf(error: z.ZodError, prefix: PropertyKey[]): TaskFileIssue[] {
  const out: TaskFileIssue[] = [];
  for (const iss of error.issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        out.push({ path: formatPath([...prefix, ...iss.path, key]), message: '未知字段 / unknown field' });
      }
    } else {
      out.push({ path: formatPath([...prefix, ...iss.path]), message: iss.message });
    }
  }
  return out;
}

type Format = 'yaml' | 'json';

function formatOf(name: string, text: string): Format {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return /^\s*[[{]/.test(text) ? 'json' : 'yaml';
}

function parseDocument(name: string, text: string): unknown {
  const format = formatOf(name, text);
  if (format === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new TaskFileError(name, [
        { path: '', message: `JSON 格式错误 / invalid JSON: ${(err as Error).message}` },
      ]);
    }
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const reason = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const line = e.linePos?.[0] ? ` (第 ${e.linePos[0].line} 行 / line ${e.linePos[0].line})` : '';
    throw new TaskFileError(name, [{ path: '', message: `YAML 格式错误 / invalid YAML: ${reason}${line}` }]);
  }
  return doc.toJS() as unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Conveniences of the file format over TaskSpec: `lead: 区环保局` for a one-name list, `id: 3` for "3",
 * the file's `plan` for tasks that name none, and `due` from the last milestone where it is left out.
 */
function normalize(item: Record<string, unknown>, defaultPlan: unknown): Record<string, unknown> {
  const out: Record<string, unknown> =
    defaultPlan !== undefined && !('plan' in item) ? { plan: defaultPlan, ...item } : { ...item };
  for (const k of ['lead', 'cooperating']) if (typeof out[k] === 'string') out[k] = [out[k]];
  if (typeof out.id === 'number') out.id = String(out.id);
  // With milestones the due date is the last one's: it may be left out.
  const ms = out.milestones;
  if (!('due' in out) && Array.isArray(ms) && ms.length > 0) {
    const last = ms[ms.length - 1] as unknown;
    if (isRecord(last) && typeof last.due === 'string') out.due = last.due;
  }
  return out;
}

/**
 * The task specs in a task file's text. The file holds one task object, a list of tasks, or
 * `{plan?, tasks: [...]}` where `plan` is the default for every task that names none.
 * `name` is how errors name the file (the path as the user gave it).
 */
export function parseTaskText(text: string, name: string): TaskSpec[] {
  if (text.trim() === '')
    throw new TaskFileError(name, [{ path: '', message: '文件为空 / the file is empty' }]);
  const doc = parseDocument(name, text);

  let items: unknown[];
  let prefix: (i: number) => PropertyKey[];
  let defaultPlan: unknown;
  if (Array.isArray(doc)) {
    items = doc;
    prefix = (i) => ['tasks', i];
  } else if (isRecord(doc) && 'tasks' in doc) {
    const extra = Object.keys(doc).filter((k) => k !== 'tasks' && k !== 'plan');
    if (extra.length > 0) {
      throw new TaskFileError(
        name,
        extra.map((k) => ({
          path: k,
          message: '未知字段（顶层只能有 plan 和 tasks） / unknown field (top level takes plan and tasks)',
        })),
      );
    }
    if (!Array.isArray(doc.tasks)) {
      throw new TaskFileError(name, [{ path: 'tasks', message: '应为任务列表 / must be a list of tasks' }]);
    }
    items = doc.tasks;
    defaultPlan = doc.plan;
    prefix = (i) => ['tasks', i];
  } else if (isRecord(doc)) {
    items = [doc];
    prefix = () => [];
  } else {
    throw new TaskFileError(name, [
      {
        path: '',
        message:
          '应为一个任务、任务列表或 {tasks: [...]} / expected a task, a list of tasks or {tasks: [...]}',
      },
    ]);
  }
  if (items.length === 0)
    throw new TaskFileError(name, [{ path: 'tasks', message: '没有任务 / no tasks in the file' }]);

  const specs: TaskSpec[] = [];
  const issues: TaskFileIssue[] = [];
  const seen = new Map<string, string>();
  items.forEach((item, i) => {
    const input = isRecord(item) ? normalize(item, defaultPlan) : item;
    const r = taskSpecSchema().safeParse(input, { error: bilingual });
    if (!r.success) {
      // A due date taken from the last milestone is wrong only where that milestone is: named there.
      const derived = isRecord(item) && !('due' in item) && isRecord(input) && 'due' in input;
      const here = formatPath([...prefix(i), 'due']);
      issues.push(...issuesOf(r.error, prefix(i)).filter((x) => !derived || x.path !== here));
      return;
    }
    const wid = taskWorkflowId(r.data);
    const here = formatPath(prefix(i)) || 'task';
    const first = seen.get(wid);
    if (first !== undefined) {
      issues.push({
        path: formatPath([...prefix(i), 'id']),
        message: `任务重复，与 ${first} 相同 / duplicate task ${wid}, same as ${first}`,
      });
      return;
    }
    seen.set(wid, here);
    specs.push(r.data);
  });
  if (issues.length > 0) {
    const shown = issues.slice(0, MAX_ISSUES);
    if (issues.length > MAX_ISSUES) {
      shown.push({
        path: '',
        message: `另有 ${issues.length - MAX_ISSUES} 处错误 / and ${issues.length - MAX_ISSUES} more`,
      });
    }
    throw new TaskFileError(name, shown);
  }
  return specs;
}

/** A file's bytes, or a TaskFileError that says in words why it cannot be read. */
export function readFileOrFail(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? '文件不存在 / file not found'
        : code === 'EISDIR'
          ? '这是一个文件夹 / is a directory'
          : `无法读取 / cannot read: ${(err as Error).message}`;
    throw new TaskFileError(file, [{ path: '', message }]);
  }
}

/** Reads and validates a task file (YAML or JSON). Errors name the file as given. */
export function parseTaskFile(file: string): TaskSpec[] {
  const text = readFileOrFail(file).toString('utf8');
  return parseTaskText(text.replace(/^\uFEFF/, ''), file);
}
