import { assign, evolve, taskSpecSchema, type TaskEvent, type TaskState } from '../../domain';
import { documentNumber, supervisionOrderPdf } from '../../office/supervision-order';
import { pdfText } from '../helpers/office';

// Titles without a character in common: each PDF embeds a subset of one shared font, so a subset that
// leaked from one document into another would lose or swap these glyphs.
const TITLES = [
  '甲乙丙丁整治',
  '戊己庚辛清淤',
  '壬癸子丑截污',
  '寅卯辰巳拆除',
  '午未申酉监测',
  '戌亥天地复核',
];

function overdue(title: string, n: number): { e: TaskEvent; state: TaskState } {
  const spec = taskSpecSchema().parse({
    plan: 'pdf-test',
    id: `t${n}`,
    title,
    lead: ['区环保局'],
    due: '2027-03-31',
  });
  const state = assign(spec, '2027-01-04T01:00:00.000Z').reduce<TaskState | undefined>(evolve, undefined)!;
  const e: TaskEvent = {
    type: 'OverdueNoticed',
    seq: 2,
    at: '2027-04-01T01:00:00.000Z',
    due: '2027-03-31',
    daysOverdue: 1,
  };
  return { e, state };
}

test('催办单 rendered at once, on one shared font, each read back with its own number, title and text', async () => {
  const files = await Promise.all(
    TITLES.map((title, i) => {
      const { e, state } = overdue(title, i + 1);
      return supervisionOrderPdf('催办单', documentNumber('台督字', 2027, i + 1), e, state);
    }),
  );
  files.forEach((f, i) => {
    expect(f.fileName).toBe(`催办单-台督字〔2027〕${i + 1}号.pdf`);
    const text = pdfText(f.bytes);
    expect(text).toContain(`台督字〔2027〕${i + 1}号`);
    expect(text).toContain(TITLES[i]);
    expect(text).toContain('本任务已于 2027-03-31 到期，已逾期 1 天，仍未办结。');
    for (const other of TITLES.filter((t) => t !== TITLES[i])) expect(text).not.toContain(other);
  });
});
