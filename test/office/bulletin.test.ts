import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../store';
import { bulletinFile } from '../../services/bulletin';
import { BadInput } from '../../services/errors';
import { docxParagraphs, pdfText } from '../helpers/office';
import { record } from './story';

const PLAN = 'bulletin-2027';
let tmp: string;
let store: Store;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bulletin-'));
  store = await openStore(path.join(tmp, 'duban.db'));
  const task = (id: string, lead: string, due: string, extra: object = {}) => ({
    plan: PLAN,
    id,
    title: `任务${id}`,
    lead: [lead],
    due,
    ...extra,
  });
  // On time: submitted before its due date, verified in March.
  await record(store, task('a', '区环保局', '2027-02-28'), '2027-01-04', [
    ['2027-01-05', { type: 'acknowledge', actor: '区环保局' }],
    ['2027-02-20', { type: 'submitCompletion', actor: '区环保局', summary: '已完成' }],
    ['2027-03-05', { type: 'verifyCompletion', actor: 'supervisor' }],
  ]);
  // Overdue since February, 约谈 ordered in March.
  await record(store, task('b', '区住建局', '2027-02-15'), '2027-01-04', [
    ['2027-01-05', { type: 'acknowledge', actor: '区住建局' }],
    ['2027-02-16', { event: { type: 'OverdueNoticed', due: '2027-02-15', daysOverdue: 1 } }],
    [
      '2027-03-17',
      {
        event: {
          type: 'InterviewOrdered',
          n: 1,
          due: '2027-02-15',
          daysOverdue: 30,
          rectificationDue: '2027-04-14',
        },
      },
    ],
  ]);
  // A 镇街's part, overdue at the end of March and never acknowledged.
  await record(store, task('c', '区经信局', '2027-03-10', { region: '泥沟镇' }), '2027-01-04');
  // Not yet due.
  await record(store, task('d', '区环保局', '2027-12-31'), '2027-01-04', [
    ['2027-01-06', { type: 'acknowledge', actor: '区环保局' }],
  ]);
  // Done, but late.
  await record(store, task('e', '区住建局', '2027-01-31'), '2027-01-04', [
    ['2027-01-05', { type: 'acknowledge', actor: '区住建局' }],
    ['2027-03-02', { type: 'submitCompletion', actor: '区住建局', summary: '已完成' }],
    ['2027-03-03', { type: 'verifyCompletion', actor: 'supervisor' }],
  ]);
});
afterAll(async () => {
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const MARCH_SUMMARY =
  `截至 2027-03-31，《${PLAN}》共有任务 5 项：已办结 2 项（本期办结 2 项），其中按期办结 1 项；` +
  '逾期未办结 2 项；本期约谈 1 次、限批 0 次、追责 0 次。按期办结率 25%。';

test('the March bulletin as .docx: the figures by department and 镇街, the worst named', async () => {
  const { bulletin, file } = await bulletinFile(store, {
    plan: PLAN,
    period: '2027-03',
    format: 'docx',
    today: '2027-04-02',
  });
  expect(file.fileName).toBe(`督查通报-${PLAN}-2027-03.docx`);
  expect(bulletin.asOf).toBe('2027-03-31');
  const paragraphs = await docxParagraphs(file.bytes);
  expect(paragraphs.slice(0, 3)).toEqual(['督查通报', '（2027年3月）', `《${PLAN}》落实情况`]);
  expect(paragraphs).toContain(MARCH_SUMMARY);
  // Table cells are paragraphs too: 区住建局's row reads 2 tasks, 1 done (in March), none on time, 1 overdue, 1 约谈.
  const row = paragraphs.indexOf('区住建局');
  expect(paragraphs.slice(row, row + 10)).toEqual(['区住建局', '2', '1', '1', '0', '1', '1', '0', '0', '0%']);
  expect(paragraphs).toContain('各镇街办理情况'.replace(/^/, '三、'));
  const town = paragraphs.indexOf('泥沟镇');
  expect(paragraphs.slice(town, town + 6)).toEqual(['泥沟镇', '1', '0', '0', '0', '1']);
  expect(paragraphs.find((p) => p.startsWith('对以下'))).toBe(
    '对以下单位予以通报批评，请限期整改：区住建局（逾期未办结 1 项，被约谈 1 次）；' +
      '泥沟镇（逾期未办结 1 项）；区经信局（逾期未办结 1 项）。',
  );
  expect(paragraphs).toContain('bulletin-2027/b');
  expect(paragraphs.slice(-2)).toEqual(['区委区政府督查室', '2027-04-02']);
});

test('the same bulletin as PDF says the same words', async () => {
  const { file } = await bulletinFile(store, {
    plan: PLAN,
    period: '2027-03',
    format: 'pdf',
    today: '2027-04-02',
  });
  expect(file.contentType).toBe('application/pdf');
  const text = pdfText(file.bytes).replace(/ /g, '');
  expect(text).toContain('督查通报');
  expect(text).toContain(MARCH_SUMMARY.replace(/ /g, ''));
  expect(text).toContain('区住建局（逾期未办结1项，被约谈1次）');
});

test('a past month says what stood then; a quarter counts its escalations; bad words are refused', async () => {
  const feb = await bulletinFile(store, {
    plan: PLAN,
    period: '2027-02',
    format: 'docx',
    today: '2027-04-02',
  });
  // On 28 February nothing was verified yet; b was overdue, a waited for the supervisor (not overdue).
  expect(feb.bulletin.total).toMatchObject({ tasks: 5, completed: 0, overdue: 2, interviews: 0 });
  const q1 = await bulletinFile(store, { plan: PLAN, period: '2027Q1', format: 'docx', today: '2027-04-02' });
  expect(q1.bulletin.period.label).toBe('2027年第一季度');
  expect(q1.bulletin.total).toMatchObject({ completed: 2, completedInPeriod: 2, interviews: 1 });

  await expect(
    bulletinFile(store, { plan: PLAN, period: '三月', format: 'docx', today: '2027-04-02' }),
  ).rejects.toThrow('统计期应为月份（2027-03）、季度（2027Q1）或年份（2027）：三月');
  await expect(
    bulletinFile(store, { plan: PLAN, period: '2027-03', format: 'odt', today: '2027-04-02' }),
  ).rejects.toThrow(
    new BadInput('format', '格式应为 docx 或 pdf：odt / the format must be docx or pdf: odt'),
  );
  await expect(
    bulletinFile(store, { plan: 'no-such-plan', format: 'docx', today: '2027-04-02' }),
  ).rejects.toThrow('方案 no-such-plan 在 2027-04-02 前没有交办的任务');
});
