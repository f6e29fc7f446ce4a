/**
 * The monthly 督查通报 on the time-skipping server: a run of the bulletin workflow mails leadership each
 * plan's bulletin through the outbox, the .docx attached; the mail at the SMTP server carries the figures.
 */
import type { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { ZONE } from '../../domain';
import type { BulletinWorkflowResult } from '../../workflows/bulletin-messages';
import { addresses, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { docxParagraphs, pdfText } from '../helpers/office';
import { uniqueId } from '../helpers/temporal';
import { record } from '../office/story';

let duban: TimeSkippedDuban;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;

// Last month, as the schedule's run would report it; the tasks live in it, so it has passed.
const month = DateTime.now().setZone(ZONE).startOf('month').minus({ months: 1 });
const day = (d: number) => month.set({ day: d }).toISODate()!;
const PERIOD = month.toFormat('yyyy-MM');
const PLAN = uniqueId('bulletin').toLowerCase();

beforeAll(async () => {
  duban = await startTimeSkippedDuban('bulletin');
  taskQueue = uniqueId('bulletin');
  worker = await duban.createWorker(taskQueue);
  running = worker.run();
  const task = (id: string, lead: string, due: string) => ({
    plan: PLAN,
    id,
    title: `任务${id}`,
    lead: [lead],
    due,
  });
  await record(duban.store, task('done', '区环保局', day(20)), day(1), [
    [day(2), { type: 'acknowledge', actor: '区环保局' }],
    [day(10), { type: 'submitCompletion', actor: '区环保局', summary: '已完成' }],
    [day(11), { type: 'verifyCompletion', actor: 'supervisor' }],
  ]);
  await record(duban.store, task('late', '区住建局', day(5)), day(1), [
    [day(2), { type: 'acknowledge', actor: '区住建局' }],
  ]);
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await duban?.teardown();
});

const run = (input: object) =>
  duban.env.client.workflow.execute('bulletinWorkflow', {
    workflowId: uniqueId('bulletin-run'),
    taskQueue,
    args: [input],
  }) as Promise<BulletinWorkflowResult>;

const summary =
  `共有任务 2 项：已办结 1 项（本期办结 1 项），其中按期办结 1 项；逾期未办结 1 项；` +
  '本期无约谈、限批、追责。按期办结率 50%。';

test('last month’s bulletin reaches leadership with the .docx attached, once', async () => {
  const r = await run({ format: 'docx' });
  expect(r.period).toBe(PERIOD);
  expect(r.plans).toContain(PLAN);
  await duban.smtp.waitFor((ms) => ms.some((m) => m.subject?.includes(PLAN)));
  const mail = duban.smtp.messages.find((m) => m.subject?.includes(PLAN))!;
  const label = `${month.year}年${month.month}月`;
  expect(mail.subject).toBe(`【督办】督查通报（${label}）：《${PLAN}》`);
  expect(mail.text).toContain(summary);
  expect(mail.text).toContain('通报批评：区住建局（逾期未办结 1 项）。');
  expect(addresses(mail)).toEqual(
    [...duban.directory.leadership, ...duban.directory.supervisors].map((p) => p.email).sort(),
  );
  expect(mail.attachments).toHaveLength(1);
  const [file] = mail.attachments;
  expect(file.filename).toBe(`督查通报-${PLAN}-${PERIOD}.docx`);
  expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const paragraphs = await docxParagraphs(file.content);
  expect(paragraphs.slice(0, 2)).toEqual(['督查通报', `（${label}）`]);
  expect(paragraphs.find((p) => p.startsWith('截至'))).toContain(summary);
  const row = paragraphs.indexOf('区住建局');
  expect(paragraphs.slice(row, row + 6)).toEqual(['区住建局', '1', '0', '0', '0', '1']);

  // The same month again (a retried or repeated run): the outbox has it, nothing more is sent.
  const before = duban.smtp.messages.length;
  const again = await run({ format: 'docx', period: PERIOD });
  expect(again.plans).toContain(PLAN);
  // A mail, had one gone, would be here: the server keeps it before it answers the send.
  expect(duban.smtp.messages).toHaveLength(before);
});

test('the PDF form, for a quarter named by hand, carries the same figures', async () => {
  const quarter = `${month.year}Q${Math.ceil(month.month / 3)}`;
  const r = await run({ format: 'pdf', period: quarter });
  expect(r.plans).toContain(PLAN);
  await duban.smtp.waitFor((ms) =>
    ms.some((m) => m.attachments[0]?.filename === `督查通报-${PLAN}-${quarter}.pdf`),
  );
  const mail = duban.smtp.messages.find(
    (m) => m.attachments[0]?.filename === `督查通报-${PLAN}-${quarter}.pdf`,
  )!;
  expect(mail.attachments[0].contentType).toBe('application/pdf');
  const text = pdfText(mail.attachments[0].content).replace(/ /g, '');
  expect(text).toContain('区住建局（逾期未办结1项）');
  expect(text).toContain('按期办结率50%');
});
