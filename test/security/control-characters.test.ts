/**
 * Control and bidi characters: refused in every free-text field and name by the schemas, with the field
 * named; a value stored before the rule prints escaped in the CLI and never reaches HTML raw.
 */
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import { parseDirectory } from '../../directory/directory';
import {
  COMMANDS,
  argsRefusal,
  bilingual,
  commandFromArgs,
  escapeHtml,
  isControl,
  summarize,
  type TaskCommand,
  taskSpecSchema,
} from '../../domain';
import { checkBreakdown } from '../../importer';
import { TemporalUnavailable } from '../../services/errors';
import { parseTaskText } from '../../services/task-file';
import { createToken } from '../../services/tokens';
import { CardPolicy, decideIssue } from '../../domain/cards';
import { PLAN, history, seededFixture, type Fixture } from '../cli/seed';
import { creditCode } from '../helpers/credit-code';
import { startApi } from '../http/helpers';

const ESC = '\u001b[2K\u001b[1A审核通过';
const BAD: [string, string][] = [
  ['ESC', '\u001b'],
  ['NUL', '\u0000'],
  ['DEL', '\u007f'],
  ['C1 CSI', '\u009b'],
  ['RLO', '\u202e'],
  ['LRI', '\u2066'],
  ['RLM', '\u200f'],
  ['ALM', '\u061c'],
];
const spec = { plan: 'p', id: 't', title: '任务', lead: ['区环保局'], due: '2030-12-31' };
const specIssues = (input: object) => {
  const r = taskSpecSchema().safeParse(input, { error: bilingual });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the task spec', () => {
  test.each(BAD)('refuses %s in the title, the text and every name, naming the field', (_n, c) => {
    expect(specIssues({ ...spec, title: `任务${c}` })).toEqual([expect.stringMatching(/^title: .*control/)]);
    expect(specIssues({ ...spec, text: `内容${c}` })).toEqual([expect.stringMatching(/^text: .*control/)]);
    expect(specIssues({ ...spec, lead: [`区环保局${c}`] })).toEqual([expect.stringMatching(/^lead\.0: /)]);
    expect(specIssues({ ...spec, cooperating: [`区水务局${c}`] })).toEqual([
      expect.stringMatching(/^cooperating\.0: /),
    ]);
    expect(specIssues({ ...spec, region: `泥沟镇${c}` })).toEqual([expect.stringMatching(/^region: /)]);
    expect(specIssues({ ...spec, restriction: { sector: `造纸${c}` } })).toEqual([
      expect.stringMatching(/^restriction\.sector: /),
    ]);
  });

  it('keeps newlines and tabs in multi-line text, not in a title or a name', () => {
    expect(specIssues({ ...spec, text: '第一行\r\n第二行\n\t第三行' })).toEqual([]);
    expect(specIssues({ ...spec, text: '进展\r审核通过' })).toEqual([expect.stringMatching(/U\+000D/)]);
    expect(specIssues({ ...spec, title: '任务\n审核通过' })).toEqual([
      expect.stringMatching(/^title: .*U\+000A/),
    ]);
    expect(specIssues({ ...spec, lead: ['区环保局\t'] })).toEqual([]); // trimmed
    expect(specIssues({ ...spec, lead: ['区环\t保局'] })).toEqual([
      expect.stringMatching(/^lead\.0: .*U\+0009/),
    ]);
  });

  it('refuses / in a name: it would break the workflow id and the page routes', () => {
    expect(specIssues({ ...spec, region: '经济开发区/高新区' })).toEqual([
      'region: 不能含有 / / must not contain /',
    ]);
    expect(specIssues({ ...spec, lead: ['区环保局/区水务局'] })).toEqual([
      'lead.0: 不能含有 / / must not contain /',
    ]);
  });

  it('task files name the path', () => {
    expect(() =>
      parseTaskText(`plan: p\nid: t\ntitle: "任务\\e[2J"\nlead: 区环保局\ndue: 2030-12-31\n`, 't.yaml'),
    ).toThrow(/^t\.yaml: title: 含有控制字符或文字方向控制符（U\+001B）/);
  });

  it('a breakdown names the region with / in plan.regions', () => {
    const r = checkBreakdown({
      plan: { id: 'p', title: '方案', regions: ['经济开发区/高新区'] },
      departments: [{ name: '区环保局' }],
      tasks: [
        { id: 't', title: '任务', lead: ['区环保局'], due: '2030-12-31', regions: ['经济开发区/高新区'] },
      ],
    });
    expect(r.issues.map((i) => i.path)).toEqual(['plan.regions[0]', 'tasks[0].regions[0]']);
  });
});

describe('the command contract', () => {
  test.each(BAD)('refuses %s in every free-text field, naming it', (_n, c) => {
    const cases = [
      { type: 'reportProgress', actor: '区环保局', note: `进展${c}` },
      { type: 'submitCompletion', actor: '区环保局', summary: `办结${c}` },
      { type: 'verifyCompletion', actor: 'supervisor', note: `意见${c}` },
      { type: 'rejectCompletion', actor: 'supervisor', reason: `退回${c}` },
      { type: 'cancel', actor: 'supervisor', reason: `撤销${c}` },
      { type: 'requestExtension', actor: '区环保局', to: '2031-01-01', reason: `理由${c}` },
      { type: 'decideExtension', actor: 'supervisor', approve: true, note: `意见${c}` },
      { type: 'scheduleInterview', actor: 'supervisor', at: '2030-01-01 09:00', place: `会议室${c}` },
      { type: 'recordInterview', actor: 'supervisor', opinions: `意见${c}`, attendees: ['张三'] },
      { type: 'recordInterview', actor: 'supervisor', opinions: '意见', attendees: [`张三${c}`] },
    ] as TaskCommand[];
    for (const cmd of cases) {
      const field = Object.keys(cmd).find((k) => String((cmd as Record<string, unknown>)[k]).includes(c))!;
      expect([cmd.type, argsRefusal(cmd)]).toEqual([
        cmd.type,
        expect.objectContaining({ code: 'control_character', en: expect.stringContaining(field) }),
      ]);
    }
  });

  it('keeps line breaks in a note, not in a place', () => {
    expect(
      argsRefusal({ type: 'reportProgress', actor: '区环保局', note: '一\r\n二\n\t三' }),
    ).toBeUndefined();
    expect(
      argsRefusal({
        type: 'scheduleInterview',
        actor: 'supervisor',
        at: '2030-01-01 09:00',
        place: '会议室\n二楼',
      }),
    ).toMatchObject({ code: 'control_character' });
  });

  it('refuses a control character in the actor as a malformed command', () => {
    const r = commandFromArgs('acknowledge', { actor: '区环保局\u202e' });
    expect(r).toMatchObject({ ok: false, rejection: { code: 'bad_argument', field: 'actor' } });
    expect(COMMANDS.acknowledge.schema.safeParse({ actor: '区环保局' }).success).toBe(true);
  });
});

describe('the directory and tokens', () => {
  it('the directory refuses a control character or / in a name', () => {
    const yaml = (n: string) => `departments:\n  "${n}": { email: a@b.example }\n`;
    expect(() => parseDirectory(yaml('区环保局\\e'), 'd.yaml')).toThrow(
      /control or bidi character \(U\+001B\)/,
    );
    expect(() => parseDirectory(yaml('区/局'), 'd.yaml')).toThrow(/must not contain \//);
    expect(() => parseDirectory(yaml('区环保局'), 'd.yaml')).not.toThrow();
  });

  it('a token unit or name with a control character is refused, naming the field', async () => {
    const store = {
      listTokens: async () => [],
      addToken: async () => ({}) as never,
      revokeToken: async () => undefined,
    };
    await expect(
      createToken(store, { role: 'department', department: '区环保局\u001b' }),
    ).rejects.toMatchObject({
      field: 'department',
    });
    await expect(createToken(store, { role: 'supervisor', name: '督查\u202e室' })).rejects.toMatchObject({
      field: 'name',
    });
  });
});

describe('output', () => {
  let fx: Fixture;
  const evil = { plan: PLAN, id: '9-9-1', title: `标题${ESC}`, lead: ['区环保局'], due: '2030-12-31' };
  beforeAll(async () => {
    fx = await seededFixture();
    // Stored before the rule, as an older version could have: past TaskSpec, straight into the store.
    const h = history({ ...evil, title: '标题' }, [
      { type: 'acknowledge', actor: '区环保局' },
      { type: 'reportProgress', actor: '区环保局', note: '进展' },
    ]);
    const events = h.events.map((e) =>
      e.type === 'ProgressReported' ? { ...e, note: `进展${ESC}\u202e反\u0000` } : e,
    );
    const state = { ...h.state, spec: { ...h.state.spec, title: evil.title } };
    await fx.store.appendEvents(h.workflowId, events);
    await fx.store.upsertTask(summarize(h.workflowId, state));
  });
  afterAll(async () => fx?.close());

  async function cli(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const open: CliIo['open'] = async () =>
      ({
        facade: fx.facade,
        address: 'localhost:1',
        ensureTemporal: async () => {
          throw new TemporalUnavailable('down', 'server');
        },
        close: async () => undefined,
      }) as Session;
    const code = await main(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { DUBAN_DATA_DIR: path.join(os.tmpdir(), 'duban-sec-unused') },
      today: '2027-01-10',
      open,
    });
    return { code, stdout, stderr };
  }
  /** Whether text holds a control character other than the layout's newlines and tabs. */
  const raw = {
    asymmetricMatch: (s: string) =>
      [...s].some((ch) => isControl(ch.codePointAt(0)!) && !'\n\t'.includes(ch)),
  };

  it('task show prints ESC as a visible \\x1b, never raw, in the title and the ledger', async () => {
    const r = await cli(['task', 'show', `${PLAN}/9-9-1`]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toEqual(raw);
    expect(r.stdout).toContain('标题\\x1b[2K\\x1b[1A审核通过');
    expect(r.stdout).toContain('进展\\x1b[2K\\x1b[1A审核通过\\u202e反\\x00');
  });

  it('task list and --json print no raw control either; the JSON still parses to the stored value', async () => {
    const list = await cli(['task', 'list']);
    expect(list.stdout).not.toEqual(raw);
    expect(list.stdout).toContain('标题\\x1b[2K');
    const json = await cli(['task', 'show', `${PLAN}/9-9-1`, '--json']);
    expect(json.stdout).not.toEqual(raw);
    expect((JSON.parse(json.stdout) as { summary: { title: string } }).summary.title).toBe(evil.title);
  });

  it('escapeHtml replaces what HTML must not carry', () => {
    expect(escapeHtml('a\u0000b\u202ec<\n\t')).toBe('a\uFFFDb\uFFFDc&lt;\n\t');
  });

  it('NUL and ESC never reach the /public page', async () => {
    // An enterprise on the public red list whose name was stored with them (by an older version, say).
    const e = { code: creditCode(), name: '公开\u0000企业\u001b', region: '邳庄镇', sector: '化工' };
    await fx.store.addEnterprises([
      { ...e, registeredAt: '2027-01-01T02:00:00.000Z', registeredBy: '区环保局' },
    ]);
    const d = decideIssue(
      { enterprise: e, card: 1, color: 'red', reason: '超标排放', by: '区环保局' },
      '2027-01-05T02:00:00.000Z',
      CardPolicy.parse({}),
    );
    if (!d.ok) throw new Error(d.rejection.zh);
    await fx.store.recordEnterpriseSteps(
      e.code,
      d.events.map((event) => ({ key: `card-1-${event.step}`, event })),
    );
    const api = await startApi({ facade: fx.facade, store: fx.store, pages: { plans: () => new Map() } });
    try {
      const r = await api.call('GET', '/public');
      expect(r.status).toBe(200);
      expect(r.raw).toContain('公开\uFFFD企业\uFFFD');
      expect(r.raw.includes('\u0000') || r.raw.includes('\u001b')).toBe(false);
    } finally {
      await api.close();
    }
  });
});
