import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { Session } from '../../cli/session';
import {
  DEFAULT_POLICY,
  assign,
  builtinCalendar,
  decide,
  escalate,
  evolve,
  plannedRungs,
  type TaskEvent,
  type TaskState,
  taskSpecSchema,
} from '../../domain';
import type { DubanClient } from '../../services/facade';
import type { LedgerEntry } from '../../store';

// `duban task show` says why each rung fired and why each rung ahead is planned, in text and JSON.

const CAL = builtinCalendar();
const spec = taskSpecSchema().parse({
  plan: 'tez',
  id: '2-1-1',
  title: '严格环境准入',
  lead: ['区环保局'],
  cooperating: [],
  due: '2026-04-01',
});

function build(): { state: TaskState; events: TaskEvent[] } {
  let events = assign(spec, '2026-01-01T01:00:00.000Z');
  let state = evolve(undefined, events[0]);
  const add = (es: TaskEvent[]) => {
    events = [...events, ...es];
    state = es.reduce((s, e) => evolve(s, e), state);
  };
  const ack = decide(state, { type: 'acknowledge', actor: '区环保局' }, '2026-01-01T02:00:00.000Z');
  if (!ack.ok) throw new Error('refused');
  add(ack.events);
  // The worker was down over the 30- and the 7-day warnings: only the 7-day one goes out.
  add(escalate(state, DEFAULT_POLICY, '2026-03-26T02:00:00.000Z', CAL));
  return { state, events };
}

const { state, events } = build();
const ledger = events.map((event): LedgerEntry => ({
  id: event.seq,
  workflowId: 'task/tez/2-1-1',
  seq: event.seq,
  type: event.type,
  at: event.at,
  event,
  prevHash: '',
  hash: `h${event.seq}`,
}));
const facade: Partial<DubanClient> = {
  resolveId: (id) => `task/${id}`,
  state: async () => state,
  upcoming: async () => plannedRungs(state, DEFAULT_POLICY, CAL),
  summary: async () => undefined,
  ledger: async () => ledger,
};

async function show(argv: string[]): Promise<string> {
  let stdout = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => undefined },
    env: { DUBAN_DATA_DIR: path.join(os.tmpdir(), 'duban-cli-unused') },
    today: '2026-03-26',
    open: async () =>
      ({
        facade: facade as DubanClient,
        address: 'localhost:7233',
        ensureTemporal: async () => undefined,
        close: async () => undefined,
      }) satisfies Session,
  });
  expect(code).toBe(0);
  return stdout;
}

const SKIP = '同时到期，只发最严重的一级 / due together; only the most severe goes out';

test('the text: each rung line, past and ahead, is followed by its rule, calendar and what it passed over', async () => {
  const out = await show(['task', 'show', 'tez/2-1-1']);
  expect(out).toContain(
    '  #3   2026-03-26 10:00  预警：距截止日期 2026-04-01 还有 7 天\n' +
      `        依据 warningDaysBefore: 7（自然日 / calendar days），截止日期 2026-04-01；略过 预警（到期前 30 天）（${SKIP}）\n`,
  );
  // A command's line has no reason under it.
  expect(out).toContain('  #2   2026-01-01 10:00  区环保局 签收\n  #3 ');
  expect(out).toContain(
    '即将 / upcoming:\n' +
      '  2026-03-31 09:00  预警（到期前 1 天）\n' +
      '      依据 warningDaysBefore: 1（自然日 / calendar days），截止日期 2026-04-01\n' +
      '  2026-04-02 09:00  催办\n' +
      '      依据 due: 2026-04-01（截止日期次日起逾期 / overdue from the day after）\n' +
      '  2026-05-01 09:00  约谈\n' +
      '      依据 interviewAfterOverdue: 30d（自然日 / calendar days），自 2026-04-01 起算\n',
  );
});

test('the JSON: `why` on the rung entries of the ledger and on each rung ahead', async () => {
  const shown = JSON.parse(await show(['task', 'show', 'tez/2-1-1', '--json'])) as {
    ledger: { type: string; why?: { rule: string; skipped: { key: string }[] } }[];
    upcoming: { key: string; why: { rule: string; calendar: string } }[];
  };
  expect(shown.ledger.map((e) => [e.type, e.why?.rule])).toEqual([
    ['TaskAssigned', undefined],
    ['Acknowledged', undefined],
    ['WarningIssued', 'warningDaysBefore: 7'],
  ]);
  expect(shown.ledger[2].why?.skipped).toEqual([
    { key: 'warning:30@2026-04-01', rung: '预警（到期前 30 天）', why: SKIP },
  ]);
  expect(shown.upcoming.map((u) => [u.key, u.why.rule, u.why.calendar])).toEqual([
    ['warning:1@2026-04-01', 'warningDaysBefore: 1', '自然日 / calendar days'],
    ['overdue@2026-04-01', 'due: 2026-04-01', '截止日期次日起逾期 / overdue from the day after'],
    ['interview', 'interviewAfterOverdue: 30d', '自然日 / calendar days'],
  ]);
});
