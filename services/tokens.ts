import { z } from 'zod';
import { SUPERVISOR, oneOf, unitName } from '../domain';
import { findDepartment, peopleOf, unitKind, type Directory } from '../directory/directory';
import { didYouMean } from '../importer/similar';
import type { Store, TokenRecord } from '../store';
import { ROLES, hashToken, newToken } from './auth';
import { BadInput } from './errors';

// Token management for the CLI and `npm start`: one set of rules for who a token may speak for.

type TokenStore = Pick<Store, 'addToken' | 'listTokens' | 'revokeToken'>;

const unit = unitName;

export const TokenRequest = z
  .object({
    role: z.enum(ROLES, { error: oneOf('角色', 'role', ROLES) }),
    department: unit.optional(),
    region: unit.optional(),
    /** A person (经办人) of the department: the ledger records them beside it. */
    person: unitName.optional(),
    name: unitName.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.person && t.role !== 'department')
      ctx.addIssue({
        code: 'custom',
        path: ['person'],
        message: `经办人只能属于责任单位令牌 / only a department token names a person`,
      });
    const need = t.role === 'department' ? 'department' : t.role === 'region' ? 'region' : undefined;
    for (const key of ['department', 'region'] as const) {
      if (key === need && !t[key])
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${t.role} 令牌须指定${key === 'department' ? '单位' : '镇街'} / a ${t.role} token needs its ${key}`,
        });
      if (key !== need && t[key])
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${t.role} 令牌不能指定 ${key} / a ${t.role} token takes no ${key}`,
        });
    }
  });
export type TokenRequest = z.input<typeof TokenRequest>;

export interface CreatedToken {
  /** The secret: shown once, never stored. */
  token: string;
  record: TokenRecord;
}

/** The default name says whom the token is for, made unique among live tokens with a counter. */
async function defaultName(store: TokenStore, base: string): Promise<string> {
  const live = new Set((await store.listTokens()).filter((t) => !t.revokedAt).map((t) => t.name));
  if (!live.has(base)) return base;
  for (let n = 2; ; n++) if (!live.has(`${base}-${n}`)) return `${base}-${n}`;
}

const KIND_ZH = { department: '责任单位', region: '镇街' } as const;

/**
 * Why the unit a token speaks for is not one the directory has as that kind: a region token named after a
 * department would act as that department, and 督查室 is a role, not a unit.
 */
export function unitRefusal(
  dir: Pick<Directory, 'departments'> | undefined,
  field: 'department' | 'region',
  unit: string,
): string | undefined {
  const want = field === 'department' ? 'department' : 'region';
  if (unit === SUPERVISOR || unit === '督查室')
    return `${unit} 是督查室角色，不是${KIND_ZH[want]}：请用 --role supervisor / ${unit} is the supervisor role, not a ${field}: use --role supervisor`;
  if (!dir) return undefined;
  const kind = unitKind(dir, unit);
  if (kind === want) return undefined;
  if (kind !== undefined)
    return `${unit} 在通讯录中是${KIND_ZH[kind]}，不是${KIND_ZH[want]} / ${unit} is a ${kind} in the directory, not a ${field}`;
  const same = Object.keys(dir.departments).filter((d) => unitKind(dir, d) === want);
  const guess = didYouMean(unit, same);
  return guess
    ? `通讯录中没有${KIND_ZH[want]} ${unit}，是否应为 ${guess}？ / no ${field} ${unit} in the directory — did you mean ${guess}?`
    : `通讯录中没有${KIND_ZH[want]} ${unit} / no ${field} ${unit} in the directory`;
}

/** A new token; with the directory, its unit must be a department or region the directory knows as such. */
export async function createToken(
  store: TokenStore,
  request: TokenRequest,
  now = new Date().toISOString(),
  directory?: Pick<Directory, 'departments'>,
): Promise<CreatedToken> {
  const parsed = TokenRequest.safeParse(request);
  if (!parsed.success) {
    const iss = parsed.error.issues[0];
    const field = iss.path.map(String).join('.') || 'role';
    throw new BadInput(field, `${field}: ${iss.message}`);
  }
  const r = parsed.data;
  for (const field of ['department', 'region'] as const) {
    const unit = r[field];
    if (unit === undefined) continue;
    const why = unitRefusal(directory, field, unit);
    if (why) throw new BadInput(field, `${field}: ${why}`);
    // An alias acts under the name tasks use: the directory's.
    if (directory) r[field] = findDepartment(directory, unit) ?? unit;
  }
  if (r.person && r.department && directory && !peopleOf(directory, r.department).includes(r.person))
    throw new BadInput(
      'person',
      `person: 通讯录中 ${r.department} 没有人员 ${r.person} / ${r.department} has no person ${r.person} in the directory`,
    );
  const name =
    r.name ??
    (await defaultName(
      store,
      r.person ? `${r.department}-${r.person}` : (r.department ?? r.region ?? r.role),
    ));
  if ((await store.listTokens()).some((t) => t.name === name && !t.revokedAt))
    throw new BadInput(
      'name',
      `已有同名的有效令牌“${name}”，请换一个名称或先撤销它 / a live token is already named “${name}”: choose another name or revoke it first`,
    );
  const token = newToken();
  const record = await store.addToken({
    name,
    hash: hashToken(token),
    role: r.role,
    ...(r.department ? { department: r.department } : {}),
    ...(r.region ? { region: r.region } : {}),
    ...(r.person ? { person: r.person } : {}),
    createdAt: now,
  });
  return { token, record };
}

export class TokenNotFound extends BadInput {
  override name = 'TokenNotFound';
  constructor(readonly idOrName: string) {
    super('id', `没有令牌 ${idOrName} / no token ${idOrName}`);
  }
}

export async function revokeToken(
  store: TokenStore,
  idOrName: string,
  now = new Date().toISOString(),
): Promise<TokenRecord> {
  const key = idOrName.trim();
  const record = key ? await store.revokeToken(key, now) : undefined;
  if (!record) throw new TokenNotFound(idOrName);
  return record;
}

/** On a first start: a supervisor token when there is no live one, so someone can sign in at all. */
export async function ensureSupervisorToken(store: TokenStore): Promise<CreatedToken | undefined> {
  const live = (await store.listTokens()).some((t) => t.role === 'supervisor' && !t.revokedAt);
  if (live) return undefined;
  return createToken(store, { role: 'supervisor', name: 'supervisor' });
}
