import {
  assign,
  escalate,
  DEFAULT_POLICY,
  noticesFor,
  SUPERVISOR,
  type TaskEvent,
  type TaskState,
} from '../../domain';
import { assigned, ASSIGNED_AT, COOP, fold, LEAD, run, SECOND_LEAD, spec } from './fixtures';

const everyDepartment = [{ department: LEAD }, { department: SECOND_LEAD }, { department: COOP }];
const supervisors = { role: 'supervisors' };

/** Runs a whole life of a task and returns every event with the state after it. */
function history(): { event: TaskEvent; state: TaskState }[] {
  const out: { event: TaskEvent; state: TaskState }[] = [];
  let s: TaskState | undefined;
  const push = (events: TaskEvent[]) => {
    for (const event of events) {
      s = fold([event], s);
      out.push({ event, state: s });
    }
  };
  push(assign(spec(), ASSIGNED_AT));
  const step = (cmd: Parameters<typeof run>[1], at: string) => push(run(s!, cmd, at).events);
  step({ type: 'acknowledge', actor: LEAD }, '2026-01-02T00:00:00.000Z');
  step({ type: 'reportProgress', actor: LEAD, note: '进展' }, '2026-01-03T00:00:00.000Z');
  push(escalate(s!, DEFAULT_POLICY, '2026-03-02T01:00:00.000Z'));
  step({ type: 'submitCompletion', actor: LEAD, summary: '完成' }, '2026-03-03T00:00:00.000Z');
  step({ type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' }, '2026-03-04T00:00:00.000Z');
  push(escalate(s!, DEFAULT_POLICY, '2026-04-02T01:00:00.000Z'));
  step({ type: 'submitCompletion', actor: LEAD, summary: '完成' }, '2026-04-03T00:00:00.000Z');
  step({ type: 'verifyCompletion', actor: SUPERVISOR }, '2026-04-04T00:00:00.000Z');
  return out;
}

describe('noticesFor: who hears each event', () => {
  test('over a whole task life: keys, audiences, and the event carried', () => {
    const got = history().flatMap(({ event, state }) =>
      noticesFor(event, state).map((n) => {
        expect(n.event).toBe(event);
        return [n.key, n.to];
      }),
    );
    expect(got).toEqual([
      ['1-TaskAssigned', everyDepartment],
      // 2 Acknowledged and 3 ProgressReported notify no one
      ['4-WarningIssued', everyDepartment],
      ['5-CompletionSubmitted', [supervisors]],
      ['6-CompletionRejected', [{ department: LEAD }]],
      ['7-OverdueNoticed', [...everyDepartment, supervisors]],
      ['8-CompletionSubmitted', [supervisors]],
      ['9-CompletionVerified', everyDepartment],
    ]);
  });

  test('a cancellation is heard by every department', () => {
    const s = assigned();
    const { events, state } = run(
      s,
      { type: 'cancel', actor: SUPERVISOR, reason: '撤销' },
      '2026-01-05T00:00:00.000Z',
    );
    expect(noticesFor(events[0], state)).toEqual([
      { key: '2-TaskCancelled', event: events[0], to: everyDepartment },
    ]);
  });

  test('acknowledgements and progress reports notify no one', () => {
    const s = assigned();
    const ack = run(s, { type: 'acknowledge', actor: COOP }, '2026-01-02T00:00:00.000Z');
    expect(noticesFor(ack.events[0], ack.state)).toEqual([]);
  });

  test('a task with no cooperating departments: only its leads hear', () => {
    const s = fold(assign(spec({ lead: ['区城管局'], cooperating: [] }), ASSIGNED_AT));
    const [e] = escalate(s, DEFAULT_POLICY, '2026-04-02T01:00:00.000Z');
    expect(noticesFor(e, fold([e], s))).toEqual([
      { key: '2-OverdueNoticed', event: e, to: [{ department: '区城管局' }, supervisors] },
    ]);
  });

  test('keys are stable: the same event gives the same key, and keys never repeat within a task', () => {
    const h = history();
    const again = history();
    const keys = h.flatMap(({ event, state }) => noticesFor(event, state).map((n) => n.key));
    expect(again.flatMap(({ event, state }) => noticesFor(event, state).map((n) => n.key))).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    // the state passed (before or after the event) does not change the key or audience
    const [first, second] = h;
    expect(noticesFor(first.event, second.state)).toEqual(noticesFor(first.event, first.state));
  });
});
