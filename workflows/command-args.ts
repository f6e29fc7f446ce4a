import { ApplicationFailure } from '@temporalio/workflow';
import type { TaskCommand } from '../domain';
import { REJECTED } from './task-messages';

type Kind = 'string' | 'boolean' | 'string[]';
interface Field {
  kind: Kind;
  optional?: boolean;
}
const text: Field = { kind: 'string' };
const optionalText: Field = { kind: 'string', optional: true };

/** Each command's payload beside `actor`. */
const FIELDS: Record<TaskCommand['type'], Record<string, Field>> = {
  acknowledge: {},
  reportProgress: { note: text },
  submitCompletion: { summary: text },
  verifyCompletion: { note: optionalText },
  rejectCompletion: { reason: text },
  cancel: { reason: text },
  requestExtension: { to: text, reason: text },
  decideExtension: { approve: { kind: 'boolean' }, to: optionalText, note: optionalText },
  scheduleInterview: { at: text, place: text },
  recordInterview: { attendees: { kind: 'string[]' }, opinions: text, rectificationDue: optionalText },
};

const KIND_ZH: Record<Kind, string> = { string: '文字', boolean: '是或否', 'string[]': '文字列表' };
const KIND_EN: Record<Kind, string> = {
  string: 'a string',
  boolean: 'true or false',
  'string[]': 'a list of strings',
};

function bad(field: string, zh: string, en: string): never {
  throw ApplicationFailure.create({
    type: REJECTED,
    message: `${zh} / ${en}`,
    nonRetryable: true,
    details: [{ code: 'bad_argument', field, zh, en }],
  });
}

function isKind(v: unknown, kind: Kind): boolean {
  if (kind === 'string[]')
    return Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === 'string');
  return typeof v === kind;
}

/** Checks an update's payload as it arrives from a client, naming the field that is wrong. */
export function commandFromArgs(type: TaskCommand['type'], arg: unknown): TaskCommand {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg))
    bad('', '缺少参数', 'the command needs an argument object');
  const a = arg as Record<string, unknown>;
  if (typeof a.actor !== 'string' || a.actor.trim() === '')
    bad('actor', '请说明操作单位（actor）', 'actor is required');
  if (a.actor.length > 100) bad('actor', '操作单位名称过长', 'actor is too long (max 100)');
  const fields = FIELDS[type];
  for (const k of Object.keys(a))
    if (k !== 'actor' && !fields[k]) bad(k, `未知参数 ${k}`, `unknown field ${k}`);
  for (const [f, spec] of Object.entries(fields)) {
    if (a[f] === undefined) {
      if (!spec.optional) bad(f, `缺少参数 ${f}`, `${f} is required`);
    } else if (!isKind(a[f], spec.kind))
      bad(f, `参数 ${f} 必须是${KIND_ZH[spec.kind]}`, `${f} must be ${KIND_EN[spec.kind]}`);
  }
  return { ...a, actor: a.actor.trim(), type } as TaskCommand;
}
