/**
 * The contract's interview-time rule at the two outer interfaces: the API (400 naming `at`) and the CLI
 * (`duban interview schedule … --at`, exit 1 naming --at) accept and refuse exactly what the domain does.
 */
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { Session } from '../../cli/session';
import type { DubanClient } from '../../services/facade';
import type { TaskState } from '../../domain';
import { PLAN, seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from './helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  api = await startApi({ facade: fx.facade, store: fx.store });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const ACCEPTED = ['2027-01-01 10:00:00', '2027-01-01 10:00', '2027-01-01T10:00'];
const REFUSED = ['2027-01-01 25:99', '2027-02-30 10:00', '2101-01-01 10:00', 'tomorrow'];

describe('the API', () => {
  const schedule = (at: string) =>
    api.call('POST', `/api/tasks/${PLAN}/2-1-1/scheduleInterview`, {
      token: tokens.supervisor,
      body: { at, place: '区政府三楼' },
    });

  test.each(REFUSED)('refuses %s with 400 naming at, in the domain’s words', async (at) => {
    const r = await schedule(at);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'bad_request', field: 'at' });
    expect(String(r.body.message)).toMatch(
      /^at: 约谈时间(格式应为 YYYY-MM-DD HH:mm|超出范围) \/ the interview time/,
    );
  });

  test.each(ACCEPTED)('takes %s past its body check (on to Temporal, which is down here)', async (at) => {
    const r = await schedule(at);
    expect(r.status).toBe(503);
  });
});

describe('the CLI', () => {
  async function schedule(at: string) {
    const sent: unknown[] = [];
    let stderr = '';
    const facade = {
      resolveId: (id: string) => `task/${id}`,
      command: async (_id: string, _type: string, args: unknown) => {
        sent.push(args);
        return { status: 'assigned' } as TaskState;
      },
    } as Partial<DubanClient> as DubanClient;
    const code = await main(
      ['interview', 'schedule', `${PLAN}/2-1-1`, '--as', 'supervisor', '--at', at, '--place', '区政府三楼'],
      {
        stdout: { write: () => true },
        stderr: { write: (s: string) => ((stderr += s), true) },
        env: { DUBAN_DATA_DIR: path.join(os.tmpdir(), 'duban-cli-unused') },
        today: '2026-11-28',
        open: async () =>
          ({
            facade,
            address: 'localhost:7233',
            ensureTemporal: async () => undefined,
            close: async () => undefined,
          }) satisfies Session,
      },
    );
    return { code, stderr, sent };
  }

  test.each(REFUSED)('refuses --at %s before sending anything (exit 1, naming --at)', async (at) => {
    const r = await schedule(at);
    expect(r.code).toBe(1);
    expect(r.sent).toEqual([]);
    expect(r.stderr).toMatch(/--at: 约谈时间(格式应为 YYYY-MM-DD HH:mm|超出范围) \/ the interview time/);
  });

  test.each(ACCEPTED)('sends --at %s as given', async (at) => {
    const r = await schedule(at);
    expect(r.code).toBe(0);
    expect(r.sent).toEqual([{ actor: 'supervisor', at, place: '区政府三楼' }]);
  });
});
