import {
  DEFAULT_POLICY,
  assign,
  builtinCalendar,
  decide,
  escalate,
  evolve,
  plannedRungs,
  summarize,
  type TaskEvent,
  type TaskState,
  taskSpecSchema,
} from '../../domain';
import type { DubanClient } from '../../services/facade';
import type { LedgerEntry } from '../../store';
import type { Ctx } from '../../web/context';
import { taskPage } from '../../web/task-page';

// The task page says why each rung fired and why each rung ahead is planned, on the calendar loaded.

const CAL = builtinCalendar();
const WF = 'task/tez/2-1-1';
const spec = taskSpecSchema().parse({
  plan: 'tez',
  id: '2-1-1',
  title: '严格环境准入',
  lead: ['区环保局'],
  due: '2026-04-01',
});

let events: TaskEvent[] = assign(spec, '2026-01-01T01:00:00.000Z');
let state: TaskState = evolve(undefined, events[0]);
const add = (es: TaskEvent[]) => {
  events = [...events, ...es];
  state = es.reduce((s, e) => evolve(s, e), state);
};
const ack = decide(state, { type: 'acknowledge', actor: '区环保局' }, '2026-01-01T02:00:00.000Z');
if (ack.ok) add(ack.events);
add(escalate(state, DEFAULT_POLICY, '2026-03-26T02:00:00.000Z', CAL));

const ledger = events.map((event): LedgerEntry => ({
  id: event.seq,
  workflowId: WF,
  seq: event.seq,
  type: event.type,
  at: event.at,
  event,
  prevHash: '',
  hash: `h${event.seq}`,
}));

const ctx = {
  facade: {
    summary: async () => summarize(WF, state),
    ledger: async () => ledger,
    upcoming: async () => plannedRungs(state, DEFAULT_POLICY, CAL),
  } as unknown as DubanClient,
  store: {
    listRestrictions: async () => [],
    listAccountability: async () => [],
    calendarYears: async () => [],
  },
  plans: () => new Map(),
  queryTimeoutMs: 1000,
} as unknown as Ctx;

const SKIP = '同时到期，只发最严重的一级 / due together; only the most severe goes out';

test('each rung of the timeline and each rung ahead carries its reason; a command carries none', async () => {
  const page = await taskPage(ctx, { role: 'supervisor', name: 'sup' }, WF);
  expect(page.status).toBe(200);
  const timeline = /<section id="task-timeline"[\s\S]*?<\/section>/.exec(page.html)![0];
  expect(timeline).toContain(
    `预警：距截止日期 2026-04-01 还有 7 天<br /><small class="why muted">依据 warningDaysBefore: 7（自然日 / calendar days），截止日期 2026-04-01；略过 预警（到期前 30 天）（${SKIP}）</small></li>`,
  );
  expect(timeline).toContain('区环保局 签收</li>');
  expect(timeline.match(/class="why/g)).toHaveLength(1);
  const ahead = /<section id="task-upcoming"[\s\S]*?<\/section>/.exec(page.html)![0];
  expect(ahead).toContain(
    '催办<br /><small class="why muted">依据 due: 2026-04-01（截止日期次日起逾期 / overdue from the day after）</small>',
  );
  expect(ahead).toContain(
    '约谈<br /><small class="why muted">依据 interviewAfterOverdue: 30d（自然日 / calendar days），自 2026-04-01 起算</small>',
  );
});
