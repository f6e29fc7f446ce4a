/** The digest routes over a seeded store: the full list, and mailing it, for supervisors and leadership only. */
import type { DigestClient, FullDigestRequest } from '../../services/digest';
import { PLAN, seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from './helpers';

let fx: Fixture;
let api: Api;
let bare: Api;
let tokens: Record<Role, string>;
const requests: string[] = [];
const digest: DigestClient = {
  sendFull: async (day): Promise<FullDigestRequest> => {
    requests.push(day);
    return { workflowId: `digest/full/${day}/${requests.length}`, day, done: true, items: 2, sent: true };
  },
};

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  const opts = { facade: fx.facade, store: fx.store, today: () => '2027-03-01' };
  api = await startApi({ ...opts, digest });
  bare = await startApi({ ...opts, onError: () => undefined });
});
afterAll(async () => {
  await api?.close();
  await bare?.close();
  await fx?.close();
});

describe('GET /api/digest', () => {
  it('answers leadership and supervisors the full list of today', async () => {
    for (const role of ['leadership', 'supervisor'] as const)
      for (const q of ['', '?full=true']) {
        const r = await api.call('GET', `/api/digest${q}`, { token: tokens[role] });
        expect(r.status).toBe(200);
        expect(r.body).toEqual({
          day: '2027-03-01',
          items: [
            {
              workflowId: 'task/other-plan/1-1-1',
              title: '另一方案的任务',
              lead: ['区水务局'],
              due: '2027-01-31',
              escalation: 'none',
            },
            {
              workflowId: `task/${PLAN}/2-1-2`,
              title: '依法淘汰落后产能',
              lead: ['区经信局'],
              due: '2026-12-31',
              escalation: 'none',
            },
          ],
        });
      }
  });

  it('refuses a department (403) and the anonymous (401)', async () => {
    expect((await api.call('GET', '/api/digest?full=true', { token: tokens.dept })).status).toBe(403);
    expect((await api.call('GET', '/api/digest?full=true', { token: tokens.region })).status).toBe(403);
    expect((await api.call('GET', '/api/digest?full=true')).status).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await api.call('GET', '/docs/json');
    expect(Object.keys(doc.body.paths as object)).toEqual(
      expect.arrayContaining(['/api/digest', '/api/digest/send']),
    );
  });
});

describe('POST /api/digest/send', () => {
  it('starts a run for leadership and supervisors, each request its own', async () => {
    const a = await api.call('POST', '/api/digest/send', { token: tokens.leadership });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({
      workflowId: 'digest/full/2027-03-01/1',
      day: '2027-03-01',
      done: true,
      items: 2,
      sent: true,
    });
    const b = await api.call('POST', '/api/digest/send', { token: tokens.supervisor });
    expect(b.body.workflowId).toBe('digest/full/2027-03-01/2');
  });

  it('refuses a department (403) and the anonymous (401), starting nothing', async () => {
    const before = requests.length;
    expect((await api.call('POST', '/api/digest/send', { token: tokens.dept })).status).toBe(403);
    expect((await api.call('POST', '/api/digest/send')).status).toBe(401);
    expect(requests).toHaveLength(before);
  });

  it('answers 503 when the digest workflow is not reachable', async () => {
    expect((await bare.call('POST', '/api/digest/send', { token: tokens.leadership })).status).toBe(503);
  });
});
