import { z } from 'zod';
import {
  CLOCK_STATUSES,
  DEFAULT_POLICY,
  ESCALATION_ZH,
  OPEN_STATUSES,
  RUNG_ZH,
  SLUG,
  STATUS_ZH,
  TASK_STATUSES,
  bilingual,
  clockNote,
  describeEvent,
  escapeHtml,
  isOpen,
  isOverdue,
  isSlug,
  missingOr,
  oneOf,
  plannedRungs,
  slugMessage,
  type TaskState,
  taskSpecSchema,
} from '../../domain';
import { history } from '../cli/seed';

const spec = { plan: 'vocab', id: '1-1', title: '任务', lead: ['区环保局'], due: '2026-12-31' };
const acked = history(spec, [{ type: 'acknowledge', actor: '区环保局' }]).state;
const submitted = history(spec, [
  { type: 'acknowledge', actor: '区环保局' },
  { type: 'submitCompletion', actor: '区环保局', summary: '已完成' },
]).state;

describe('overdue: one rule, the ladder’s', () => {
  it('a task whose clock runs has the 催办 rung ahead; a submitted one has none, so it is not overdue', () => {
    expect(plannedRungs(acked, DEFAULT_POLICY).map((r) => r.rung.kind)).toContain('overdue');
    expect(plannedRungs(submitted, DEFAULT_POLICY)).toEqual([]);
    // The rule's statuses are exactly those the ladder plans rungs for.
    const ladderRuns = TASK_STATUSES.filter(
      (status) => plannedRungs({ ...acked, status } as TaskState, DEFAULT_POLICY).length > 0,
    );
    expect([...CLOCK_STATUSES]).toEqual(ladderRuns);
  });

  it('is past the due date in force with the clock running', () => {
    const today = '2027-01-05';
    expect(isOverdue({ status: 'assigned', due: '2027-01-04' }, today)).toBe(true);
    expect(isOverdue({ status: 'acknowledged', due: '2027-01-04' }, today)).toBe(true);
    expect(isOverdue({ status: 'acknowledged', due: '2027-01-05' }, today)).toBe(false);
    expect(isOverdue({ status: 'submitted', due: '2027-01-04' }, today)).toBe(false);
    expect(isOverdue({ status: 'completed', due: '2027-01-04' }, today)).toBe(false);
    expect(isOverdue({ status: 'cancelled', due: '2027-01-04' }, today)).toBe(false);
  });

  it('the clock note says 逾期 only when overdue, 预警 only before the due date', () => {
    expect(
      clockNote({ status: 'acknowledged', due: '2027-01-02', escalation: 'overdue' }, '2027-01-05'),
    ).toBe('逾期 3 天');
    expect(clockNote({ status: 'submitted', due: '2027-01-02', escalation: 'warning' }, '2027-01-05')).toBe(
      '',
    );
    expect(clockNote({ status: 'submitted', due: '2027-01-10', escalation: 'warning' }, '2027-01-05')).toBe(
      '预警（剩 5 天）',
    );
    expect(clockNote({ status: 'completed', due: '2027-01-02', escalation: 'none' }, '2027-01-05')).toBe('');
  });
});

describe('open', () => {
  it('is one list, and a submitted task is open (it still waits for the supervisor)', () => {
    expect(OPEN_STATUSES).toEqual(['assigned', 'acknowledged', 'submitted', 'paused']);
    expect(TASK_STATUSES.filter((status) => isOpen({ status }))).toEqual([...OPEN_STATUSES]);
    expect(OPEN_STATUSES).toEqual(expect.arrayContaining([...CLOCK_STATUSES]));
  });
});

describe('labels', () => {
  it('the overdue rung is 催办, as a rung, as a level and in the timeline', () => {
    expect(RUNG_ZH.overdue).toBe('催办');
    expect(ESCALATION_ZH.overdue).toBe('催办');
    expect(describeEvent({ type: 'OverdueNoticed', due: '2026-12-31', daysOverdue: 3, seq: 5, at: '' })).toBe(
      '催办：已超过截止日期 2026-12-31（逾期 3 天）',
    );
    for (const level of ['warning', 'interview', 'restriction', 'accountability'] as const)
      expect(ESCALATION_ZH[level]).toBe(RUNG_ZH[level]);
  });

  it('every status has its word', () => {
    expect(TASK_STATUSES.map((s) => STATUS_ZH[s])).toEqual([
      '待签收',
      '办理中',
      '待审核',
      '已挂起',
      '已办结',
      '已撤销',
    ]);
  });
});

describe('ids', () => {
  it('one pattern and one message, in the task spec as everywhere', () => {
    expect(isSlug('taierzhuang-2016-water')).toBe(true);
    expect(isSlug('2-1-1')).toBe(true);
    for (const bad of ['', '-x', '台儿庄', 'a b', 'x'.repeat(65)]) expect(isSlug(bad)).toBe(false);
    expect(SLUG.test('x'.repeat(64))).toBe(true);
    expect(slugMessage()).toBe('只能用字母、数字、. _ -，最长 64 / letters, digits, . _ - only (max 64)');
    expect(slugMessage('方案编号', 'a plan id')).toBe(
      '方案编号只能用字母、数字、. _ -，最长 64 / a plan id has letters, digits, . _ - only (max 64)',
    );
    const r = taskSpecSchema().safeParse({ ...spec, id: '台儿庄' });
    expect(r.success ? [] : r.error.issues.map((i) => i.message)).toEqual([slugMessage()]);
  });
});

describe('escapeHtml', () => {
  it('escapes the five', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('the bilingual error map', () => {
  const S = z.object({
    name: z.string(),
    n: z.number().max(3),
    text: z.string().max(2),
    kind: z.enum(['a', 'b']),
  });
  const messages = (v: unknown) => {
    const r = S.safeParse(v, { error: bilingual });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('says zod’s own issues Chinese first', () => {
    expect(messages({ n: 'x', text: 'abc', kind: 'c' })).toEqual([
      'name: 缺少必填字段 / required field is missing',
      'n: 类型错误，应为数字 / expected number',
      'text: 过长（最多 2） / too long (max 2)',
      'kind: 取值应为 / must be one of: a, b',
    ]);
    expect(messages({ name: 'x', n: 4, text: '', kind: 'a' })).toEqual([
      'n: 过大（最多 3） / too large (max 3)',
    ]);
  });

  it('a schema’s own message wins; the helpers build the usual ones', () => {
    const T = z.string({ error: missingOr('应为文字 / must be text') });
    expect(T.safeParse(undefined, { error: bilingual }).error?.issues[0].message).toBe(
      '缺少必填字段 / required field is missing',
    );
    expect(T.safeParse(1, { error: bilingual }).error?.issues[0].message).toBe('应为文字 / must be text');
    expect(oneOf('状态', 'status', ['a', 'b'])).toBe('状态应为 / status must be one of a, b');
  });
});
