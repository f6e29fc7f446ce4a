import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import {
  COMMANDS,
  LEADERSHIP,
  LEADERSHIP_ONLY,
  SUPERVISOR,
  rejectionMessage,
  whoRefuses,
  type CommandName,
  type TaskSpec,
  type TaskSummary,
} from '../domain';
import { mayManageEnterprises, notCardManager, DEFAULT_CARD_POLICY } from '../domain/cards';
import type { TokenRecord } from '../store';

/** Who is asking: a token's role (and its one department or 镇街), or the anonymous public. */
export type Principal = {
  role: 'supervisor' | 'leadership' | 'department' | 'region' | 'public';
  department?: string;
  region?: string;
  /** The person (经办人) of the department the token names: recorded beside the unit on the ledger. */
  person?: string;
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
  /** The digest's full list, and mailing it to leadership now. */
  | 'readDigest'
  | 'sendDigest'
  /** The 督查通报 (.docx, .pdf): figures by department and 镇街, the worst named. */
  | 'readBulletin'
  | 'importPlan'
  | 'startPlan'
  /** The plans' indicators and their values, judged. */
  | 'readIndicators'
  /**
   * A monitoring value: a department's, and the domain checks it is the one that measures the indicator.
   * Not the supervisor's: the office that judges the figures does not also write them (the plan counts
   * 干预、伪造数据 among the failures it punishes).
   */
  | 'recordIndicator'
  /** 目标责任书 and 考核 results: anyone signed in. */
  | 'readAgreement'
  | 'readAssessment'
  /**
   * 签订: a 镇街 or department, and then only its own (the route checks the unit). Not a supervisor's: the
   * agreement binds the unit, and the office that assesses it is the other party, not a signer for it.
   */
  | 'signAgreement'
  /** A file (佐证材料) uploaded to a task: a department or 镇街 on it, or a supervisor (interview minutes). */
  | 'uploadAttachment'
  /** An uploaded file: supervisors and leadership, and the departments of a task it was uploaded to. */
  | 'readAttachment'
  /**
   * 红黄牌: registering enterprises, carding and inspecting them, and the registry page. The card
   * department (config.cards.department, given as `cards`) or a supervisor, as the domain says.
   */
  | 'manageEnterprises';

/** The department that cards enterprises (config.cards.department), for 'manageEnterprises'. */
export type CardScope = { department: string };

/** The task fields a permission depends on. */
export type TaskScope = Pick<TaskSummary, 'lead' | 'cooperating'> & {
  region?: string;
  /** The task's policy, where its `completion` lets every lead submit. */
  policy?: TaskSpec['policy'];
};

const cardPolicy = (cards?: CardScope) => ({ ...DEFAULT_CARD_POLICY, ...cards });

const isCommand = (action: Action): action is CommandName => action in COMMANDS;

/** The name a principal acts under on a task; none for the public (leadership acts only to instruct). */
export function actorOf(p: Principal): string | undefined {
  if (p.role === 'supervisor') return SUPERVISOR;
  if (p.role === 'leadership') return LEADERSHIP;
  if (p.role === 'department') return p.department;
  if (p.role === 'region') return p.region;
  return undefined;
}

/**
 * A department or 镇街 is on the task when the task names it lead or cooperating, as the domain decides
 * (a 镇街 is not on a task only because the task is in its region).
 */
export function onTask(p: Principal, task: TaskScope): boolean {
  const me = actorOf(p);
  if (!me || p.role === 'supervisor') return false;
  return task.lead.includes(me) || task.cooperating.includes(me);
}

/** Why the contract's `who` refuses this principal the command (undefined: it may send it). */
function whoDenies(p: Principal, action: CommandName, task?: TaskScope): string | undefined {
  const me = actorOf(p);
  if (!me) return '区领导只能查看，不能操作 / leadership reads; it does not act';
  // Without the task, only whether the role could ever send it: any department stands in for one on it.
  const scope =
    task ??
    (COMMANDS[action].who === 'supervisor' ? { lead: [], cooperating: [] } : { lead: [me], cooperating: [] });
  const r = whoRefuses(action, scope, me);
  return r && rejectionMessage(r);
}

/**
 * The one permission rule for the API and the pages. Task commands follow the contract's `who`
 * (domain/commands.ts); without the task a department/region command answers whether the role could
 * ever do it. What the task's state allows (already acknowledged, not yet submitted, …) is the
 * workflow's to decide, and `available()` tells the pages.
 */
export function can(p: Principal, action: Action, task?: TaskScope, cards?: CardScope): boolean {
  switch (action) {
    case 'manageEnterprises':
      return mayManageEnterprises(actorOf(p) ?? '', cardPolicy(cards));
    case 'readTasks':
    case 'readIndicators':
    case 'readAgreement':
    case 'readAssessment':
      return p.role !== 'public';
    case 'signAgreement':
      return p.role === 'department' || p.role === 'region';
    case 'recordIndicator':
      return p.role === 'department';
    case 'readAccountability':
    case 'verifyLedger':
    case 'readDigest':
    case 'sendDigest':
    case 'readBulletin':
      return p.role === 'supervisor' || p.role === 'leadership';
    case 'uploadAttachment':
      if (p.role === 'supervisor') return true;
      return (p.role === 'department' || p.role === 'region') && (!task || onTask(p, task));
    case 'readAttachment':
      if (p.role === 'supervisor' || p.role === 'leadership') return true;
      return (p.role === 'department' || p.role === 'region') && (!task || onTask(p, task));
    case 'imposeRestriction':
    case 'liftRestriction':
    case 'importPlan':
    case 'startPlan':
      return p.role === 'supervisor';
  }
  // A 批示 is leadership's alone (the contract's `who`); every other command is never leadership's.
  if (isCommand(action) && COMMANDS[action].who === 'leadership') return p.role === 'leadership';
  if (!isCommand(action) || p.role === 'leadership' || p.role === 'public') return false;
  return whoDenies(p, action, task) === undefined;
}

/** Why `can` said no, for a 403 (`中文 / English`): for a task command, the domain's own refusal. */
export function denial(p: Principal, action: Action, task?: TaskScope, cards?: CardScope): string {
  if (p.role === 'public') return '请先登录 / sign in first';
  if (action === 'manageEnterprises') return rejectionMessage(notCardManager(cardPolicy(cards)));
  if (isCommand(action) && COMMANDS[action].who === 'leadership') return rejectionMessage(LEADERSHIP_ONLY);
  if (action === 'readAccountability')
    return '追责记录仅供督查室和区领导查看 / accountability records are for supervisors and leadership only';
  if (
    action === 'verifyLedger' ||
    action === 'readDigest' ||
    action === 'sendDigest' ||
    action === 'readBulletin'
  )
    return '仅供督查室和区领导 / for supervisors and leadership only';
  if (action === 'recordIndicator')
    return '监测数据只能由负责监测的单位录入 / a value is recorded only by the department that measures it';
  if (action === 'signAgreement')
    return '目标责任书由该镇街或单位自己签订 / an agreement is signed by its own 镇街 or department';
  if (action === 'readAttachment')
    return `该文件不属于${actorOf(p) ?? ''}承办的任务 / the file belongs to no task of ${actorOf(p) ?? 'yours'}`;
  if (p.role === 'leadership') return '区领导只能查看，不能操作 / leadership reads; it does not act';
  if (action === 'uploadAttachment')
    return `${actorOf(p) ?? ''} 不是本任务的牵头或配合单位，不能上传佐证材料 / ${actorOf(p) ?? 'you'} is not a lead or cooperating department of this task and cannot upload to it`;
  const why = isCommand(action) ? whoDenies(p, action, task) : undefined;
  return why ?? '只有督查室可以执行此操作 / only a supervisor may do this';
}

/** A new token: 32 random bytes, URL-safe. Shown once; only its hash is kept. */
export function newToken(): string {
  return `dbn_${crypto.randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export function principalOfToken(
  t: Pick<TokenRecord, 'role' | 'department' | 'region' | 'name' | 'person'>,
): Principal {
  return {
    role: t.role,
    ...(t.department ? { department: t.department } : {}),
    ...(t.region ? { region: t.region } : {}),
    ...(t.person ? { person: t.person } : {}),
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
