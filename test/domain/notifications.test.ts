import {
  assign,
  escalate,
  DEFAULT_POLICY,
  interviewNotices,
  noticesFor,
  officialsOf,
  SUPERVISOR,
  type TaskEvent,
  type TaskState,
} from '../../domain';
import {
  acknowledgedByAll,
  assigned,
  ASSIGNED_AT,
  CAL,
  COOP,
  fold,
  LEAD,
  run,
  SECOND_LEAD,
  spec,
} from './fixtures';

const everyDepartment = [{ department: LEAD }, { department: SECOND_LEAD }, { department: COOP }];
const supervisors = { role: 'supervisors' };
const leadership = { role: 'leadership' };
const lead = { department: LEAD };

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
  // Every department acknowledges at once, so no acknowledgement rungs join this story (see below).
  for (const actor of [LEAD, SECOND_LEAD, COOP])
    step({ type: 'acknowledge', actor }, '2026-01-02T00:00:00.000Z');
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
      // 2–4 Acknowledged and 5 ProgressReported notify no one
      ['6-WarningIssued', everyDepartment],
      ['7-CompletionSubmitted', [supervisors]],
      ['8-CompletionRejected', [{ department: LEAD }]],
      ['9-OverdueNoticed', [...everyDepartment, supervisors]],
      ['10-CompletionSubmitted', [supervisors]],
      ['11-CompletionVerified', everyDepartment],
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
    const s = acknowledgedByAll({ lead: ['区城管局'], cooperating: [] });
    const [e] = escalate(s, DEFAULT_POLICY, '2026-04-02T01:00:00.000Z');
    expect(noticesFor(e, fold([e], s))).toEqual([
      { key: '3-OverdueNoticed', event: e, to: [{ department: '区城管局' }, supervisors] },
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

describe('who hears the ladder', () => {
  /** Each event with the audience of its notice (one notice per event, or none). */
  const heard = (events: TaskEvent[], before: TaskState) => {
    let s = before;
    return events.map((event) => {
      s = fold([event], s);
      const notices = noticesFor(event, s);
      expect(notices.length).toBeLessThanOrEqual(1);
      return { event, key: notices[0]?.key, to: notices[0]?.to };
    });
  };

  test('acknowledgement rungs, per department: the reminder to the department, the alert to supervisors and the lead', () => {
    const s = assigned();
    // Five working days after assignment every department is reminded and the alert is raised for each.
    const events = escalate(s, DEFAULT_POLICY, '2026-01-08T01:00:00.000Z', CAL);
    const got = heard(events, s).map(({ event, to }) => [
      event.type,
      'department' in event ? event.department : undefined,
      to,
    ]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['AckReminderSent', LEAD, [{ department: LEAD }]],
        ['AckReminderSent', SECOND_LEAD, [{ department: SECOND_LEAD }]],
        ['AckReminderSent', COOP, [{ department: COOP }]],
        // The first lead late: the supervisors hear of it.
        ['AckAlertRaised', LEAD, [supervisors]],
        // Another department late (cooperating, or a co-signing lead): the lead is told too.
        ['AckAlertRaised', SECOND_LEAD, [supervisors, lead]],
        ['AckAlertRaised', COOP, [supervisors, lead]],
      ]),
    );
    expect(got).toHaveLength(6);
  });

  test('a cooperating department late on its own: its reminder, then the alert with the lead told', () => {
    let s = run(assigned(), { type: 'acknowledge', actor: LEAD }, '2026-01-01T02:00:00.000Z').state;
    s = run(s, { type: 'acknowledge', actor: SECOND_LEAD }, '2026-01-01T02:00:00.000Z').state;
    const events = escalate(s, DEFAULT_POLICY, '2026-01-08T01:00:00.000Z', CAL);
    expect(heard(events, s).map(({ key, to }) => [key, to])).toEqual([
      ['4-AckReminderSent', [{ department: COOP }]],
      ['5-AckAlertRaised', [supervisors, lead]],
    ]);
  });

  test('extensions: the request to supervisors, the grant to every department, a denial to the lead', () => {
    const s = acknowledgedByAll();
    const req = run(
      s,
      { type: 'requestExtension', actor: LEAD, to: '2026-05-01', reason: '汛期' },
      '2026-03-10T02:00:00.000Z',
    );
    expect(heard(req.events, s).map((h) => h.to)).toEqual([[supervisors]]);
    const granted = run(
      req.state,
      { type: 'decideExtension', actor: SUPERVISOR, approve: true },
      '2026-03-11T02:00:00.000Z',
    );
    expect(heard(granted.events, req.state).map((h) => [h.key, h.to])).toEqual([
      ['6-ExtensionGranted', everyDepartment],
    ]);
    const denied = run(
      req.state,
      { type: 'decideExtension', actor: SUPERVISOR, approve: false },
      '2026-03-11T02:00:00.000Z',
    );
    expect(heard(denied.events, req.state).map((h) => [h.key, h.to])).toEqual([
      ['6-ExtensionDenied', [lead]],
    ]);
  });

  test('the interview: its own mails go to the officials responsible and leadership; the record to the lead', () => {
    const s = acknowledgedByAll({ region: '泥沟镇', restriction: { sector: '造纸' } });
    const [ordered] = escalate(s, DEFAULT_POLICY, '2026-05-01T01:00:00.000Z', CAL);
    const after = fold([ordered], s);
    expect(ordered.type).toBe('InterviewOrdered');
    // The task itself sends nothing for the order: the interview workflow does.
    expect(noticesFor(ordered, after)).toEqual([]);
    expect(officialsOf(after)).toEqual([{ head: LEAD }, { head: '泥沟镇' }]);
    expect(interviewNotices(ordered, after)).toEqual([
      {
        key: `${ordered.seq}-InterviewOrdered`,
        event: ordered,
        to: [{ head: LEAD }, { head: '泥沟镇' }, leadership, supervisors],
      },
    ]);
    // Without a region, only the lead department's head.
    expect(officialsOf(acknowledgedByAll())).toEqual([{ head: LEAD }]);

    const sched = run(
      after,
      { type: 'scheduleInterview', actor: SUPERVISOR, at: '2026-05-08 09:30', place: '区政府第三会议室' },
      '2026-05-06T02:00:00.000Z',
    );
    expect(noticesFor(sched.events[0], sched.state)).toEqual([]);
    expect(interviewNotices(sched.events[0], sched.state).map((n) => n.to)).toEqual([
      [{ head: LEAD }, { head: '泥沟镇' }, leadership, supervisors],
    ]);
    const rec = run(
      sched.state,
      { type: 'recordInterview', actor: SUPERVISOR, attendees: ['区环保局局长'], opinions: '限期整改' },
      '2026-05-08T04:00:00.000Z',
      { calendar: CAL },
    );
    expect(heard(rec.events, sched.state).map((h) => h.to)).toEqual([[lead]]);
    expect(interviewNotices(rec.events[0], rec.state)).toEqual([]);
  });

  test('restriction imposed and lifted: leadership, supervisors and the lead; accountability: leadership and supervisors', () => {
    let s = acknowledgedByAll({ region: '泥沟镇', restriction: { sector: '造纸' } });
    s = fold(escalate(s, DEFAULT_POLICY, '2026-05-01T01:00:00.000Z', CAL), s);
    // rectification due 2026-06-01: the restriction the day after, accountability 30 days after that
    const imposed = escalate(s, DEFAULT_POLICY, '2026-06-02T01:00:00.000Z', CAL);
    expect(heard(imposed, s).map((h) => [h.event.type, h.to])).toEqual([
      ['RestrictionImposed', [leadership, supervisors, lead]],
    ]);
    s = fold(imposed, s);
    const recorded = escalate(s, DEFAULT_POLICY, '2026-07-01T01:00:00.000Z', CAL);
    expect(heard(recorded, s).map((h) => [h.event.type, h.to])).toEqual([
      ['AccountabilityRecorded', [leadership, supervisors]],
    ]);
    s = fold(recorded, s);
    const cancelled = run(
      s,
      { type: 'cancel', actor: SUPERVISOR, reason: '任务调整' },
      '2026-07-02T02:00:00.000Z',
    );
    expect(heard(cancelled.events, s).map((h) => [h.event.type, h.to])).toEqual([
      ['TaskCancelled', everyDepartment],
      ['RestrictionLifted', [leadership, supervisors, lead]],
    ]);
  });
});
