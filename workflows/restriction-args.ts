import { ApplicationFailure } from '@temporalio/workflow';
import { SUPERVISOR, type RestrictionCommand } from '../domain';
import { REJECTED } from './task-messages';

const FIELDS = {
  impose: { required: ['sector', 'reason'], optional: ['taskWorkflowId'] },
  lift: { required: ['reason'], optional: ['sector', 'taskWorkflowId'] },
} as const;

function bad(code: string, field: string, zh: string, en: string): never {
  throw ApplicationFailure.create({
    type: REJECTED,
    message: `${zh} / ${en}`,
    nonRetryable: true,
    details: [{ code, field, zh, en }],
  });
}

/** A supervisor's impose or lift as it arrives from a client: checked field by field, actor first. */
export function restrictionCommandFromArgs(
  type: RestrictionCommand['type'],
  arg: unknown,
): RestrictionCommand {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg))
    bad('bad_argument', '', '缺少参数', 'the command needs an argument object');
  const a = arg as Record<string, unknown>;
  if (typeof a.actor !== 'string' || a.actor.trim() === '')
    bad('bad_argument', 'actor', '请说明操作人（actor）', 'actor is required');
  if (a.actor.trim() !== SUPERVISOR)
    bad(
      'supervisor_only',
      'actor',
      '只有督查室可以限批或解除限批',
      'only a supervisor may impose or lift a restriction',
    );
  const { required, optional } = FIELDS[type];
  const allowed = new Set<string>(['actor', ...required, ...optional]);
  for (const k of Object.keys(a))
    if (!allowed.has(k)) bad('bad_argument', k, `未知参数 ${k}`, `unknown field ${k}`);
  for (const f of [...required, ...optional])
    if (a[f] !== undefined && typeof a[f] !== 'string')
      bad('bad_argument', f, `参数 ${f} 必须是文字`, `${f} must be a string`);
  const { actor, ...rest } = a;
  return { ...rest, by: (actor as string).trim(), type } as RestrictionCommand;
}
