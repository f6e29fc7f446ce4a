import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { submittingDepartment, type TaskSummary } from '../domain';
import type { TokenRecord } from '../store';
import type { CommandName } from './facade';

/** Who is asking: a token's role (and its one department or 镇街), or the anonymous public. */
export type Principal = {
  role: 'supervisor' | 'leadership' | 'department' | 'region' | 'public';
  department?: string;
  region?: string;
  /** The token's name, for logs and the page header. */
  name?: string;
};

export type Role = Principal['role'];
export const ROLES = ['supervisor', 'leadership', 'department', 'region'] as const;
export type TokenRole = (typeof ROLES)[number];

export const COOKIE_NAME = 'duban_token';
export const PUBLIC: Principal = Object.freeze({ role: 'public' });

/**
 * What a principal may ask for besides a task command. Names are stable: the API and the pages both
 * ask `can` with them.
 */
export type Action =
  | CommandName
  /** Task list and detail (timeline, due history); the public gets aggregates only. */
  | 'readTasks'
  /** 追责 records, and people's names anywhere (attendees, persons). */
  | 'readAccountability'
  | 'imposeRestriction'
  | 'liftRestriction'
  | 'verifyLedger'
  | 'importPlan'
  | 'startPlan';

/** The task fields a permission depends on. */
export type TaskScope = Pick<TaskSummary, 'lead' | 'cooperating'> & { region?: string };

const SUPERVISOR_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'verifyCompletion',
  'rejectCompletion',
  'cancel',
  'decideExtension',
  'scheduleInterview',
  'recordInterview',
]);
/** Only the first lead submits and asks for more time (domain's `submittingDepartment`). */
const LEAD_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'submitCompletion',
  'requestExtension',
]);
const DEPARTMENT_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'acknowledge',
  'reportProgress',
  ...LEAD_COMMANDS,
]);

/** The name a principal acts under on a task; none for leadership and the public. */
export function actorOf(p: Principal): string | undefined {
  if (p.role === 'supervisor') return 'supervisor';
  if (p.role === 'department') return p.department;
  if (p.role === 'region') return p.region;
  return undefined;
}

/** A department is on the task as lead or cooperating; a 镇街 also when the task is its region's. */
export function onTask(p: Principal, task: TaskScope): boolean {
  const me = actorOf(p);
  if (!me || p.role === 'supervisor') return false;
  if (task.lead.includes(me) || task.cooperating.includes(me)) return true;
  return p.role === 'region' && task.region === me;
}

/**
 * The one permission rule for the API and the pages. Task commands need the task; without it a
 * department/region command answers whether the role could ever do it. What the task's state allows
 * (already acknowledged, not yet submitted, …) is the workflow's to decide.
 */
export function can(p: Principal, action: Action, task?: TaskScope): boolean {
  switch (action) {
    case 'readTasks':
      return p.role !== 'public';
    case 'readAccountability':
    case 'verifyLedger':
      return p.role === 'supervisor' || p.role === 'leadership';
    case 'imposeRestriction':
    case 'liftRestriction':
    case 'importPlan':
    case 'startPlan':
      return p.role === 'supervisor';
  }
  if (SUPERVISOR_COMMANDS.has(action)) return p.role === 'supervisor';
  if (!DEPARTMENT_COMMANDS.has(action)) return false;
  if (p.role !== 'department' && p.role !== 'region') return false;
  if (!task) return true;
  if (!onTask(p, task)) return false;
  return !LEAD_COMMANDS.has(action) || submittingDepartment(task) === actorOf(p);
}

/** Why `can` said no, for a 403 (`中文 / English`). */
export function denial(p: Principal, action: Action, task?: TaskScope): string {
  if (p.role === 'public') return '请先登录 / sign in first';
  if (action === 'readAccountability')
    return '追责记录仅供督查室和区领导查看 / accountability records are for supervisors and leadership only';
  if (action === 'verifyLedger') return '仅供督查室和区领导 / for supervisors and leadership only';
  if (p.role === 'leadership') return '区领导只能查看，不能操作 / leadership reads; it does not act';
  const isDeptCommand = DEPARTMENT_COMMANDS.has(action as CommandName);
  if (!isDeptCommand) return '只有督查室可以执行此操作 / only a supervisor may do this';
  if (p.role === 'supervisor') return '督查室不能代替责任单位操作 / a supervisor cannot act for a department';
  const me = actorOf(p) ?? '';
  if (task && !onTask(p, task))
    return `${me} 不是本任务的牵头或配合单位 / ${me} is not a lead or cooperating department of this task`;
  const lead = task ? task.lead[0] : '';
  return `只有牵头单位 ${lead} 可以执行此操作 / only the lead department ${lead} may do this`;
}

/** A new token: 32 random bytes, URL-safe. Shown once; only its hash is kept. */
export function newToken(): string {
  return `dbn_${crypto.randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export function principalOfToken(t: Pick<TokenRecord, 'role' | 'department' | 'region' | 'name'>): Principal {
  return {
    role: t.role,
    ...(t.department ? { department: t.department } : {}),
    ...(t.region ? { region: t.region } : {}),
    name: t.name,
  };
}

/** The token's principal; undefined when it is unknown or revoked. */
export async function authenticate(
  store: { findToken(hash: string): Promise<TokenRecord | undefined> },
  token: string | undefined,
): Promise<Principal | undefined> {
  const t = token?.trim();
  if (!t || t.length > 500) return undefined;
  const found = await store.findToken(hashToken(t));
  if (!found || found.revokedAt) return undefined;
  return principalOfToken(found);
}

/** Set by the API's onRequest hook; the public when there is no (valid) token. */
export function principalFromRequest(req: FastifyRequest): Principal {
  return (req as FastifyRequest & { principal?: Principal }).principal ?? PUBLIC;
}

/** The token a request carries: `Authorization: Bearer …` first, else the `duban_token` cookie. */
export function tokenFromRequest(req: Pick<FastifyRequest, 'headers'>): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : auth.trim() === '' ? undefined : auth;
  }
  return cookieValue(req.headers.cookie, COOKIE_NAME);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
