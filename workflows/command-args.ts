import { ApplicationFailure } from '@temporalio/workflow';
import type { TaskCommand } from '../domain';
import { REJECTED } from './task-messages';

const FIELDS: Record<TaskCommand['type'], string[]> = {
  acknowledge: [],
  reportProgress: ['note'],
  submitCompletion: ['summary'],
  verifyCompletion: [],
  rejectCompletion: ['reason'],
  cancel: ['reason'],
};
const OPTIONAL: Record<string, string[]> = { verifyCompletion: ['note'] };

function bad(field: string, zh: string, en: string): never {
  throw ApplicationFailure.create({
    type: REJECTED,
    message: `${zh} / ${en}`,
    nonRetryable: true,
    details: [{ code: 'bad_argument', field, zh, en }],
  });
}

/** Checks an update's payload as it arrives from a client, naming the field that is wrong. */
export function commandFromArgs(type: TaskCommand['type'], arg: unknown): TaskCommand {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg))
    bad('', '缺少参数', 'the command needs an argument object');
  const a = arg as Record<string, unknown>;
  if (typeof a.actor !== 'string' || a.actor.trim() === '')
    bad('actor', '请说明操作单位（actor）', 'actor is required');
  if (a.actor.length > 100) bad('actor', '操作单位名称过长', 'actor is too long (max 100)');
  const allowed = new Set(['actor', ...FIELDS[type], ...(OPTIONAL[type] ?? [])]);
  for (const k of Object.keys(a)) if (!allowed.has(k)) bad(k, `未知参数 ${k}`, `unknown field ${k}`);
  for (const f of [...FIELDS[type], ...(OPTIONAL[type] ?? [])]) {
    if (a[f] !== undefined && typeof a[f] !== 'string')
      bad(f, `参数 ${f} 必须是文字`, `${f} must be a string`);
  }
  return { ...a, actor: a.actor.trim(), type } as TaskCommand;
}
