import { z } from 'zod';
import { oneOf } from '../domain';
import type { Store, TokenRecord } from '../store';
import { ROLES, hashToken, newToken } from './auth';
import { BadInput } from './errors';

// Token management for the CLI and `npm start`: one set of rules for who a token may speak for.

type TokenStore = Pick<Store, 'addToken' | 'listTokens' | 'revokeToken'>;

const unit = z.string().trim().min(1, '不能为空 / must not be empty').max(100, '过长 / too long (max 100)');

export const TokenRequest = z
  .object({
    role: z.enum(ROLES, { error: oneOf('角色', 'role', ROLES) }),
    department: unit.optional(),
    region: unit.optional(),
    name: unit.optional(),
  })
  .superRefine((t, ctx) => {
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

export async function createToken(
  store: TokenStore,
  request: TokenRequest,
  now = new Date().toISOString(),
): Promise<CreatedToken> {
  const parsed = TokenRequest.safeParse(request);
  if (!parsed.success) {
    const iss = parsed.error.issues[0];
    const field = iss.path.map(String).join('.') || 'role';
    throw new BadInput(field, `${field}: ${iss.message}`);
  }
  const r = parsed.data;
  const name = r.name ?? (await defaultName(store, r.department ?? r.region ?? r.role));
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
