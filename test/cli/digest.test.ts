/** `duban digest` over a seeded store: the full list, the next daily digest, and the JSON. No Temporal. */
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import { nextDigest } from '../../domain';
import { PLAN, seededFixture, type Fixture } from './seed';

const TODAY = '2027-03-01';
let fx: Fixture;

beforeAll(async () => {
  fx = await seededFixture();
});
afterAll(() => fx?.close());

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const open: CliIo['open'] = async () =>
    ({
      facade: fx.facade,
      address: 'localhost:7233',
      ensureTemporal: async () => undefined,
      store: async () => fx.store,
      close: async () => undefined,
    }) satisfies Session;
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: fx.dir },
    today: TODAY,
    open,
  });
  return { code, stdout, stderr };
}

describe('duban digest', () => {
  it('prints the full list of today: every task overdue or up the ladder, not the rest', async () => {
    for (const argv of [['digest'], ['digest', '--full']]) {
      const { code, stdout } = await cli(argv);
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(
        '截至 2027-03-01，逾期及升级任务 2 项 / 2 task(s) overdue or escalated as of 2027-03-01',
      );
      expect(lines.slice(1)).toEqual([
        'other-plan/1-1-1  另一方案的任务  牵头：区水务局  期限：2027-01-31  —',
        `${PLAN}/2-1-2  依法淘汰落后产能  牵头：区经信局  期限：2026-12-31  —`,
      ]);
    }
  });

  it('--json: the day and each item', async () => {
    const { code, stdout } = await cli(['digest', '--full', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      day: TODAY,
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
  });

  it('--changes: what the next daily digest would say, and nothing once today’s has gone', async () => {
    const first = await cli(['digest', '--changes']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('【督办】每日督办摘要（2027-03-01）：逾期及升级任务 2 项');
    expect(first.stdout).toContain('（首次通报 / the first digest）');
    const json = JSON.parse((await cli(['digest', '--changes', '--json'])).stdout) as {
      day: string;
      changes: { kind: string; workflowId: string }[];
    };
    expect(json.day).toBe(TODAY);
    expect(json.changes.map((c) => [c.kind, c.workflowId])).toEqual([
      ['new', 'task/other-plan/1-1-1'],
      ['new', `task/${PLAN}/2-1-2`],
    ]);

    // Today's digest went out: the next is tomorrow's, and nothing changed since.
    await fx.store.claimBookmark(
      `digest/${TODAY}`,
      nextDigest(undefined, await fx.store.listTasks({}), TODAY),
    );
    const after = await cli(['digest', '--changes']);
    expect(after.stdout).toContain('自上次通报以来没有变化，2027-03-02 的每日摘要不会发送');
  });

  it('refuses --full with --changes', async () => {
    const r = await cli(['digest', '--full', '--changes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('选项冲突');
  });
});
