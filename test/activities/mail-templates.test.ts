import { renderNotice } from '../../activities/mail-templates';
import {
  assign,
  evolve,
  noticesFor,
  type Notice,
  type TaskEvent,
  type TaskSpec,
  type TaskState,
} from '../../domain';

const spec: TaskSpec = {
  plan: 'tez2016',
  id: '2-1-1',
  title: '加强工业污染防治',
  text: '严格环境准入，从严审批高耗水、高污染排放的建设项目。',
  lead: ['区环保局'],
  cooperating: ['区发改局', '区经信局'],
  due: '2026-12-31',
};
const AT = '2026-03-01T01:00:00.000Z';

function stateAfter(s: TaskSpec, ...bodies: Record<string, unknown>[]): TaskState {
  let state = evolve(undefined, assign(s, AT)[0]);
  for (const b of bodies) state = evolve(state, { ...b, seq: state.seq + 1, at: AT } as TaskEvent);
  return state;
}
const noticeOf = (state: TaskState, event: TaskEvent): Notice => ({
  key: `${event.seq}-${event.type}`,
  event,
  to: [],
});
const render = (s: TaskSpec, body: Record<string, unknown>) => {
  const state = stateAfter(s, body);
  const event = { ...body, seq: state.seq, at: AT } as TaskEvent;
  return renderNotice(noticeOf(state, event), state);
};

test('every event that causes a notice has its own Chinese subject naming the task', () => {
  const assigned = evolve(undefined, assign(spec, AT)[0]);
  const [n] = noticesFor(assign(spec, AT)[0], assigned);
  expect(renderNotice(n, assigned).subject).toBe('【督办】任务交办：加强工业污染防治（tez2016/2-1-1）');

  const subjects = [
    { type: 'CompletionSubmitted', by: '区环保局', summary: '已完成' },
    { type: 'CompletionVerified', by: 'supervisor' },
    { type: 'CompletionRejected', by: 'supervisor', reason: '缺少验收材料' },
    { type: 'TaskCancelled', by: 'supervisor', reason: '任务合并' },
    { type: 'WarningIssued', daysBefore: 7, due: '2026-12-31' },
    { type: 'OverdueNoticed', due: '2026-12-31', daysOverdue: 3 },
  ].map((b) => render(spec, b).subject);
  expect(subjects).toEqual([
    '【督办】办结待审核：加强工业污染防治（tez2016/2-1-1）',
    '【督办】办结审核通过：加强工业污染防治（tez2016/2-1-1）',
    '【督办】办结被退回：加强工业污染防治（tez2016/2-1-1）',
    '【督办】任务撤销：加强工业污染防治（tez2016/2-1-1）',
    '【督办】预警：加强工业污染防治（tez2016/2-1-1）将于 7 天后到期',
    '【督办】催办：加强工业污染防治（tez2016/2-1-1）已逾期 3 天',
  ]);
});

test('the body says what happened and what to do', () => {
  const acknowledged = render(spec, { type: 'Acknowledged', by: '区环保局' });
  expect(acknowledged.text).toContain(
    '牵头单位：区环保局\n配合单位：区发改局、区经信局\n完成时限：2026-12-31',
  );

  const rejected = render(spec, { type: 'CompletionRejected', by: 'supervisor', reason: '缺少验收材料' });
  expect(rejected.text).toContain('退回理由：缺少验收材料');
  expect(rejected.html).toContain('缺少验收材料');

  const warning = render(spec, { type: 'WarningIssued', daysBefore: 7, due: '2026-12-31' });
  expect(warning.text).toContain('本任务将于 7 天后（2026-12-31）到期');
  expect(warning.html).toContain('#fff8d6'); // yellow

  const overdue = render(spec, { type: 'OverdueNoticed', due: '2026-12-31', daysOverdue: 3 });
  expect(overdue.text).toContain('已逾期 3 天');
  expect(overdue.html).toContain('#fdecea'); // red

  const region = render(
    { ...spec, region: '泥沟镇' },
    { type: 'WarningIssued', daysBefore: 30, due: '2026-12-31' },
  );
  expect(region.subject).toBe('【督办】预警：加强工业污染防治（tez2016/2-1-1/泥沟镇）将于 30 天后到期');
  expect(region.text).toContain('镇街：泥沟镇');
});

test('every interpolated value is escaped in HTML', () => {
  const evil: TaskSpec = {
    ...spec,
    title: '<script>alert("x")</script> & 治污',
    lead: ['<b>区环保局</b>'],
    text: `<img src=x onerror='1'>`,
  };
  const assignedState = evolve(undefined, assign(evil, AT)[0]);
  const { html } = renderNotice(noticesFor(assign(evil, AT)[0], assignedState)[0], assignedState);
  expect(html).not.toContain('<script>');
  expect(html).not.toContain('<b>');
  expect(html).not.toContain('<img');
  expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 治污');
  expect(html).toContain('&lt;img src=x onerror=&#39;1&#39;&gt;');

  const rejected = render(evil, {
    type: 'CompletionRejected',
    by: 'supervisor',
    reason: '</td><a href="http://evil">',
  });
  expect(rejected.html).toContain('&lt;/td&gt;&lt;a href=&quot;http://evil&quot;&gt;');
  expect(rejected.html).not.toContain('<a href');
});

test('no line break can reach the subject', () => {
  const injected: TaskSpec = {
    ...spec,
    title: '治污\r\nBcc: victim@example.com\nX-Evil: 1',
    region: '泥沟镇\r\n',
  };
  const { subject } = render(injected, { type: 'WarningIssued', daysBefore: 1, due: '2026-12-31' });
  expect(subject).toBe(
    '【督办】预警：治污 Bcc: victim@example.com X-Evil: 1（tez2016/2-1-1/泥沟镇）将于 1 天后到期',
  );
  expect(subject).not.toMatch(/[\r\n]/);
});

test('a report or submission that carried files says how many, and where to find them', () => {
  const files = ['a'.repeat(64), 'b'.repeat(64)];
  const report = render(spec, {
    type: 'ProgressReported',
    by: '区环保局',
    note: '已排查',
    attachments: files,
  });
  expect(report.text).toContain('\n佐证材料：2 份（在督办系统的任务页查看、下载）\n');
  expect(report.html).toContain('佐证材料');
  const submitted = render(spec, {
    type: 'CompletionSubmitted',
    by: '区环保局',
    summary: '已完成',
    attachments: files.slice(1),
  });
  expect(submitted.text).toContain('佐证材料：1 份');
  expect(render(spec, { type: 'ProgressReported', by: '区环保局', note: '已排查' }).text).not.toContain(
    '佐证材料',
  );
});
