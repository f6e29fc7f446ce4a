/**
 * The contract's `attachments`: the hashes a command carries go onto its event once each; none leaves the
 * event as it always was (what old histories replay); a malformed hash or too many are refused naming
 * the field, before the workflow takes the update.
 */
import { commandFromArgs, describeEvent, MAX_ATTACHMENTS } from '../../domain';
import { LEAD, acknowledgedByLead, refused, run } from './fixtures';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const AT = '2026-01-05T02:00:00.000Z';

test('a progress report and a completion record their files once each, in the order given', () => {
  const s = acknowledgedByLead();
  const report = run(s, { type: 'reportProgress', actor: LEAD, note: '已完成', attachments: [B, A, B] }, AT);
  expect(report.events[0]).toMatchObject({ type: 'ProgressReported', attachments: [B, A] });
  expect(describeEvent(report.events[0])).toBe('区环保局 反馈进展：已完成（佐证材料 2 份）');
  // The first of two leads co-signs: its files are on its co-signature.
  const cosign = run(s, { type: 'submitCompletion', actor: LEAD, summary: '已办结', attachments: [A] }, AT);
  expect(cosign.events.some((e) => 'attachments' in e && e.attachments?.[0] === A)).toBe(true);
});

test('without files (or with none) the event is exactly as before', () => {
  const s = acknowledgedByLead();
  for (const extra of [{}, { attachments: [] }]) {
    const { events } = run(s, { type: 'reportProgress', actor: LEAD, note: '进展', ...extra }, AT);
    expect(events).toEqual([
      { type: 'ProgressReported', by: LEAD, note: '进展', seq: events[0].seq, at: AT },
    ]);
  }
});

test('a malformed hash or too many files are refused, naming attachments', () => {
  const bad = commandFromArgs('reportProgress', { actor: LEAD, note: 'x', attachments: ['ABC'] });
  expect(bad).toMatchObject({ ok: false, rejection: { field: 'attachments', code: 'bad_argument' } });
  if (!bad.ok) expect(bad.rejection.zh).toContain('attachments 应为已上传文件的 sha256');
  const many = commandFromArgs('submitCompletion', {
    actor: LEAD,
    summary: 'x',
    attachments: Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => i.toString(16).padStart(64, '0')),
  });
  expect(many).toMatchObject({ ok: false, rejection: { field: 'attachments' } });
  const notList = commandFromArgs('reportProgress', { actor: LEAD, note: 'x', attachments: A });
  expect(notList).toMatchObject({ ok: false, rejection: { field: 'attachments' } });
  // A command that takes no files refuses the field as unknown.
  expect(commandFromArgs('acknowledge', { actor: LEAD, attachments: [A] })).toMatchObject({
    ok: false,
    rejection: { field: 'attachments' },
  });
  expect(
    refused(acknowledgedByLead(), { type: 'reportProgress', actor: LEAD, note: 'x', attachments: ['x'] })
      .code,
  ).toBe('bad_argument');
});
