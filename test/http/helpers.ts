import type { FastifyInstance } from 'fastify';
import { buildHttpServer, type HttpOptions } from '../../http/server';
import { createToken } from '../../services/tokens';
import type { Store } from '../../store';

export type Role = 'supervisor' | 'leadership' | 'dept' | 'otherDept' | 'region';

/** One token per kind of caller; `dept` is 区环保局, `otherDept` 区住建局, `region` 泥沟镇. */
export async function makeTokens(store: Store): Promise<Record<Role, string>> {
  const make = async (req: Parameters<typeof createToken>[1]) => (await createToken(store, req)).token;
  return {
    supervisor: await make({ role: 'supervisor', name: 'sup' }),
    leadership: await make({ role: 'leadership', name: 'lead' }),
    dept: await make({ role: 'department', department: '区环保局' }),
    otherDept: await make({ role: 'department', department: '区住建局' }),
    region: await make({ role: 'region', region: '泥沟镇' }),
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  raw: string;
}

export interface Api {
  app: FastifyInstance;
  base: string;
  call(
    method: string,
    url: string,
    o?: { token?: string; body?: unknown; cookie?: string; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** The real server on a free local port, called with fetch (jest cannot load fastify's inject). */
export async function startApi(opts: HttpOptions): Promise<Api> {
  const app = buildHttpServer({ pages: false, ...opts });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    base,
    async call(method, url, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
      if (o.cookie !== undefined) headers.cookie = o.cookie;
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const r = await fetch(base + url, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
      });
      const raw = await r.text();
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { notJson: raw };
      }
      return { status: r.status, headers: r.headers, body, raw };
    },
    close: () => app.close(),
  };
}

/** Every string in a JSON answer, to look for names that must not be there. */
export const mentions = (raw: string, names: readonly string[]) => names.filter((n) => raw.includes(n));
