import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, can, principalFromRequest, type Principal } from '../services/auth';

// The pages' one door to authentication: the API's hook sets req.principal, `can` decides.

export { actorOf, type Principal };

export const ROLE_ZH: Record<Principal['role'], string> = {
  supervisor: '督查室',
  leadership: '区领导',
  department: '责任单位',
  region: '镇街',
  public: '公众',
};

export const principalOf = principalFromRequest;

export const mayReadTasks = (p: Principal): boolean => can(p, 'readTasks');

/** 追责 records and people's names anywhere (attendees, persons held accountable). */
/** The enterprise registry and its forms: the card department (config.cards.department) or a supervisor. */
export const mayManageEnterprises = (p: Principal, department: string): boolean =>
  can(p, 'manageEnterprises', undefined, { department });

export const mayReadAccountability = (p: Principal): boolean => can(p, 'readAccountability');

/** Signed-in pages send a visitor to sign in first, and back afterwards. */
export function requireSignIn(req: FastifyRequest, reply: FastifyReply): Principal | undefined {
  const p = principalOf(req);
  if (mayReadTasks(p)) return p;
  void reply.redirect(`/signin?next=${encodeURIComponent(req.url)}`, 303);
  return undefined;
}
