/**
 * `duban restriction …`, `duban accountability list` and `duban ledger verify`, in-process: the store is a
 * real SQLite file; the live restriction workflows are stood in for by a fake client (the workflow itself
 * is tested on the server in test/workflows/restriction.test.ts and test/services/restrictions.test.ts).
 */
import Database from 'better-sqlite3';
import { MockActivityEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAccountabilityActivities } from '../../activities/accountability';
import { loadDirectory } from '../../directory/directory';
import { SHIPPED_DIRECTORY } from '../../config/config';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import { CommandRefused, TemporalUnavailable } from '../../services/errors';
import { resolveTaskId, type DubanClient } from '../../services/facade';
import type { RestrictionClient } from '../../services/restrictions';
import {
  decideRestriction,
  emptyRestrictions,
  evolveRestriction,
  taskWorkflowId,
  type ActiveRestriction,
  type RestrictionCommand,
  type RestrictionEvent,
  taskSpecSchema,
} from '../../domain';
import { openStore, type Store } from '../../store';

const directory = loadDirectory(SHIPPED_DIRECTORY);
const TASK = 'task/tez/2-1-3/运河街道';

let tmp: string;
let dbFile: string;
let store: Store;
/** What the region's workflow holds now (the fake client's answer). */
let live: ActiveRestriction[] = [];

/** 运河街道's history: the ladder imposes 涉水 for a task, a supervisor imposes 造纸 and lifts it again. */
async function seedRestrictions(): Promise<void> {
  const cmds: [RestrictionCommand, string][] = [
    [
      {
        type: 'impose',
        sector: '涉水',
        reason: '整改期限已过，仍未完成整改',
        by: 'ladder',
        taskWorkflowId: TASK,
      },
      '2017-09-01T01:00:00.000Z',
    ],
    [
      { type: 'impose', sector: '造纸', reason: '群众举报偷排', by: 'supervisor' },
      '2017-09-05T01:00:00.000Z',
    ],
    [
      { type: 'lift', sector: '造纸', reason: '已整改，经现场核查', by: 'supervisor' },
      '2017-10-01T01:00:00.000Z',
    ],
  ];
  let state = emptyRestrictions('运河街道');
  for (const [cmd, at] of cmds) {
    const d = decideRestriction(state, cmd, at);
    if (!d.ok) throw new Error(d.rejection.en);
    state = d.events.reduce(evolveRestriction, state);
    await store.appendEvents('restriction/运河街道', d.events as RestrictionEvent[]);
    await store.applyRestrictionEvents(d.events);
  }
  live = state.active;
}

async function seedAccountability(): Promise<void> {
  const env = new MockActivityEnvironment();
  const { recordAccountability } = createAccountabilityActivities({ store, directory });
  const spec = (id: string, lead: string, region?: string) =>
    taskSpecSchema().parse({ plan: 'tez', id, title: `任务 ${id}`, lead: [lead], region, due: '2016-12-31' });
  for (const [s, at] of [
    [spec('2-1-3', '区环保局', '运河街道'), '2017-11-01T02:00:00.000Z'],
    [spec('2-4-2', '区水务局'), '2018-09-10T02:00:00.000Z'],
  ] as const)
    await env.run(recordAccountability, {
      taskWorkflowId: taskWorkflowId(s),
      spec: s,
      rung: 'accountability',
      reason: '整改期满 30 日仍未完成',
      referral: '区监察局',
      at,
    });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-restriction-'));
  dbFile = path.join(tmp, 'duban.db');
  store = await openStore(dbFile);
  await seedRestrictions();
  await seedAccountability();
});
afterAll(async () => {
  await store.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], io: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: tmp },
    today: '2018-10-01',
    ...io,
  });
  return { code, stdout, stderr };
}

/** A session over the real store, with a fake of the live restriction workflows. */
function session(
  restrictions: Partial<RestrictionClient> = {},
  opts: { temporal?: boolean } = {},
): CliIo['open'] {
  return async () =>
    ({
      facade: { resolveId: resolveTaskId } as DubanClient,
      address: 'localhost:7233',
      ensureTemporal: async () => {
        if (opts.temporal === false) throw new TemporalUnavailable('down', 'server');
      },
      store: async () => store,
      restrictions: {
        active: async (region) => (region === '运河街道' ? live : []),
        ...restrictions,
      } as RestrictionClient,
      directory: () => directory,
      close: async () => undefined,
    }) satisfies Session;
}

describe('restriction check', () => {
  test('restricted: by which task, since when, why; exit 0', async () => {
    const r = await run(['restriction', 'check', '--region', '运河街道', '--sector', ' 涉水 '], {
      open: session(),
    });
    expect(r).toEqual({
      code: 0,
      stdout:
        '限批中 / restricted：运河街道 涉水\n' +
        '  自 2017-09-01 09:00 起  任务 tez/2-1-3/运河街道  理由：整改期限已过，仍未完成整改（督办阶梯自动升级）\n',
      stderr: '',
    });
  });

  test('not restricted (a lifted sector, a region never restricted): exit 0', async () => {
    const lifted = await run(['restriction', 'check', '--region', '运河街道', '--sector', '造纸'], {
      open: session(),
    });
    expect(lifted).toEqual({ code: 0, stdout: '未限批 / not restricted：运河街道 造纸\n', stderr: '' });
    const never = await run(['restriction', 'check', '--region', '泥沟镇', '--sector', '涉水', '--json'], {
      open: session(),
    });
    expect(never.code).toBe(0);
    expect(JSON.parse(never.stdout)).toEqual({ region: '泥沟镇', sector: '涉水', restricted: false, by: [] });
  });

  test('--json names the restrictions in force', async () => {
    const r = await run(['restriction', 'check', '--region', '运河街道', '--sector', '涉水', '--json'], {
      open: session(),
    });
    expect(JSON.parse(r.stdout)).toEqual({
      region: '运河街道',
      sector: '涉水',
      restricted: true,
      by: [
        {
          region: '运河街道',
          sector: '涉水',
          taskWorkflowId: TASK,
          since: '2017-09-01T01:00:00.000Z',
          reason: '整改期限已过，仍未完成整改',
          by: 'ladder',
        },
      ],
    });
  });

  test('with Temporal down it answers from the database and says so', async () => {
    const r = await run(['restriction', 'check', '--region', '运河街道', '--sector', '涉水', '--json'], {
      open: session({}, { temporal: false }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^（实时状态不可用，显示数据库记录 \/ live state unavailable/);
    expect(JSON.parse(r.stdout)).toMatchObject({ restricted: true, by: [{ taskWorkflowId: TASK }] });
  });
});

describe('restriction list, impose, lift', () => {
  test('lists what is in force from the database; --all adds the lifted', async () => {
    const r = await run(['restriction', 'list'], { open: session() });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^镇街\s+行业\s+限批时间\s+状态\s+起因\s+理由$/);
    expect(lines[2]).toMatch(
      /^运河街道 +涉水 +2017-09-01 09:00 +限批中 +任务 tez\/2-1-3\/运河街道 +整改期限已过/,
    );
    expect(lines).toHaveLength(6);
    expect(r.stdout).toContain('共 1 项，限批中 1 项 / 1 restriction(s), 1 in force\n');
    const all = await run(['restriction', 'list', '--all', '--json', '--region', '运河街道'], {
      open: session(),
    });
    expect(
      (JSON.parse(all.stdout) as { sector: string; lifted?: { reason: string } }[]).map((x) => [
        x.sector,
        x.lifted?.reason,
      ]),
    ).toEqual([
      ['涉水', undefined],
      ['造纸', '已整改，经现场核查'],
    ]);
    const none = await run(['restriction', 'list', '--region', '泥沟镇'], { open: session() });
    expect(none.stdout).toBe('（目前没有限批 / no restriction in force）\n');
  });

  test('impose and lift pass the supervisor, region, sector and reason on', async () => {
    const calls: unknown[] = [];
    const open = session({
      impose: async (region, args) => {
        calls.push(['impose', region, args]);
        return { events: [{ type: 'RestrictionImposed' } as RestrictionEvent], active: [] };
      },
      lift: async (region, args) => {
        calls.push(['lift', region, args]);
        return { events: [], active: [] };
      },
    });
    const imposed = await run(
      [
        'restriction',
        'impose',
        '--region',
        '泥沟镇',
        '--sector',
        '化工',
        '--reason',
        '偷排',
        '--as',
        '督查室',
      ],
      { open },
    );
    expect(imposed).toEqual({ code: 0, stdout: '已限批 / restriction imposed：泥沟镇 化工\n', stderr: '' });
    await run(
      [
        'restriction',
        'lift',
        '--region',
        '泥沟镇',
        '--sector',
        '化工',
        '--reason',
        '已整改',
        '--as',
        'supervisor',
      ],
      {
        open,
      },
    );
    expect(calls).toEqual([
      ['impose', '泥沟镇', { actor: '督查室', sector: '化工', reason: '偷排' }],
      ['lift', '泥沟镇', { actor: 'supervisor', sector: '化工', reason: '已整改' }],
    ]);
  });

  test('a refusal exits 2 with the reason; a missing reason never leaves the CLI', async () => {
    const message = '只有督查室可以限批或解除限批 / only a supervisor may impose or lift a restriction';
    const r = await run(
      [
        'restriction',
        'impose',
        '--region',
        '泥沟镇',
        '--sector',
        '化工',
        '--reason',
        '偷排',
        '--as',
        '区环保局',
      ],
      { open: session({ impose: () => Promise.reject(new CommandRefused(message, 'supervisor_only')) }) },
    );
    expect(r).toEqual({ code: 2, stdout: '', stderr: `已拒绝 / refused: ${message}\n` });
    const noReason = await run(
      ['restriction', 'lift', '--region', '泥沟镇', '--sector', '化工', '--as', 'supervisor'],
      {
        open: () => Promise.reject(new Error('should not open')),
      },
    );
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
  });
});

describe('accountability list', () => {
  test('--person finds the records after the person moved post (终身追责), with the posts held', async () => {
    const r = await run(['accountability', 'list', '--person', '张某某'], { open: session() });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      '张某某 任职经历 / posts held：2014-03-01—2017-12-31 区环保局局长；2018-01-01 起 区水务局局长',
    );
    expect(lines[1]).toMatch(/^日期\s+姓名\s+时任职务\s+任务\s+环节\s+理由\s+移送$/);
    expect(lines[3]).toMatch(
      /^2017-11-01 +张某某 +区环保局局长 +tez\/2-1-3\/运河街道 +追责 +整改期满 30 日仍未完成 +区监察局$/,
    );
    expect(lines[4]).toMatch(/^2018-09-10 +张某某 +区水务局局长 +tez\/2-4-2 +追责 /);
    expect(r.stdout).toContain('共 2 条 / 2 record(s)\n');
  });

  test('--dept, --task and --json', async () => {
    const dept = await run(['accountability', 'list', '--dept', '运河街道', '--json'], { open: session() });
    const records = JSON.parse(dept.stdout) as { person: { name: string; post: string } }[];
    expect(records.map((x) => x.person)).toEqual([
      { name: '王某某', post: '办事处主任', department: '运河街道' },
    ]);
    const byTask = await run(['accountability', 'list', '--task', 'tez/2-1-3/运河街道', '--json'], {
      open: session(),
    });
    expect((JSON.parse(byTask.stdout) as { person: { name: string } }[]).map((x) => x.person.name)).toEqual([
      '张某某',
      '王某某',
    ]);
    const none = await run(['accountability', 'list', '--person', '李某某'], { open: session() });
    expect(none.stdout).toBe(
      '李某某 任职经历 / posts held：2018-01-01 起 区环保局局长\n（没有符合条件的追责记录 / no accountability records match）\n',
    );
  });
});

describe('ledger verify (through the real session, on the SQLite file)', () => {
  test('an intact ledger: exit 0 with the row count', async () => {
    const r = await run(['ledger', 'verify']);
    expect(r).toEqual({ code: 0, stdout: '账本完整 / ledger intact：共 3 条记录 / 3 rows\n', stderr: '' });
    const json = await run(['ledger', 'verify', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, rows: 3 });
  });

  test('no database: says so and creates none (exit 1)', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-nodb-'));
    const r = await run(['ledger', 'verify'], { env: { DUBAN_DATA_DIR: empty } });
    const created = fs.existsSync(path.join(empty, 'duban.db'));
    fs.rmSync(empty, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('找不到数据库');
    expect(created).toBe(false);
  });

  test('an edited row in the file: exit 4, naming the row, its workflow and seq, and the problem', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-tamper-'));
    await store.close();
    fs.copyFileSync(dbFile, path.join(copy, 'duban.db'));
    store = await openStore(dbFile);
    const raw = new Database(path.join(copy, 'duban.db'));
    raw.exec('drop trigger ledger_no_update;');
    raw
      .prepare('update ledger set payload = ? where id = 2')
      .run(JSON.stringify({ by: 'supervisor', reason: '无', region: '运河街道', sector: '造纸' }));
    raw.close();
    const r = await run(['ledger', 'verify'], { env: { DUBAN_DATA_DIR: copy } });
    const json = await run(['ledger', 'verify', '--json'], { env: { DUBAN_DATA_DIR: copy } });
    fs.rmSync(copy, { recursive: true, force: true });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      '账本校验未通过：问题出在第 2 行 / ledger verification FAILED at row 2\n' +
        '问题 / problem: row 2 (restriction/运河街道 #2) was edited: its content does not match its hash\n' +
        '（已校验 2 行 / 2 rows checked）\n',
    );
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      rows: 2,
      firstBadId: 2,
      problem: 'row 2 (restriction/运河街道 #2) was edited: its content does not match its hash',
    });
  });
});
