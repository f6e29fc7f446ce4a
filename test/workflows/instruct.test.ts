/**
 * Leadership instructions (领导批示) and the numbered 督办单 / 催办单, time-skipped on the test server with
 * the real activities, a real SQLite store and a real SMTP server: the mail carries the PDF, whose text
 * holds the 文号 and the instruction; documents of one year are numbered 1, 2, 3 in the order issued.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ParsedMail } from 'mailparser';
import { LEADERSHIP, addDays, dayOf, taskWorkflowId, type TaskSpecInput } from '../../domain';
import { taskWorkflow } from '../../workflows';
import { TASK_UPDATES, acknowledgeUpdate } from '../../workflows/task-messages';
import { addresses, at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { pdfText } from '../helpers/office';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('instruct')));
afterAll(() => duban?.teardown());

const HOUR = 3_600_000;
const email = (dept: string) => duban.directory.departments[dept].email;
const pdfOf = (m: ParsedMail) => {
  const a = (m.attachments ?? []).filter((x) => x.contentType === 'application/pdf');
  expect(a).toHaveLength(1);
  return { name: a[0].filename ?? '', text: pdfText(a[0].content) };
};

test('a 批示 is mailed with its 督办单, the overdue notice with its 催办单, numbered in one series per year', async () => {
  const taskQueue = uniqueId('instruct');
  const plan = uniqueId('plan');
  const { env, smtp, store, directory } = duban;
  const worker = await duban.createWorker(taskQueue);
  const today = dayOf(await env.currentTimeMs());
  const due = addDays(today, 5);
  const spec = (id: string, title: string, d = due): TaskSpecInput => ({
    plan,
    id,
    title,
    lead: ['区环保局'],
    cooperating: ['区住建局'],
    due: d,
  });
  const mailsOf = (id: string, what: string) =>
    smtp.messages.filter((m) => m.subject?.includes(`${plan}/${id}）`) && m.subject.includes(what));
  const year = Number(today.slice(0, 4));

  await worker.runUntil(async () => {
    const [a, b] = await Promise.all(
      [spec('a', '城区污水管网改造'), spec('b', '农村生活污水治理', addDays(due, 60))].map((s) =>
        env.client.workflow.start(taskWorkflow, {
          taskQueue,
          workflowId: taskWorkflowId(s),
          args: [{ spec: s as never }],
        }),
      ),
    );
    for (const h of [a, b])
      for (const actor of ['区环保局', '区住建局'])
        await h.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });

    // A department, and the supervisors, may not instruct: refused before anything is recorded.
    for (const actor of ['区环保局', 'supervisor']) {
      const err = await a
        .executeUpdate(TASK_UPDATES.instruct, { args: [{ actor, text: '请抓紧' }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause?.message).toBe(
        '只有区领导可以作出批示 / only leadership may give an instruction',
      );
    }

    const text = '城区污水管网改造事关群众切身利益，请区环保局牵头，月底前拿出方案。';
    const state = await a.executeUpdate(TASK_UPDATES.instruct, {
      args: [{ actor: LEADERSHIP, text, priority: 'high' }],
    });
    expect(state.priority).toBe('high');
    await b.executeUpdate(TASK_UPDATES.instruct, { args: [{ actor: LEADERSHIP, text: '请加快进度。' }] });

    await smtp.waitFor(() => mailsOf('a', '领导批示').length > 0 && mailsOf('b', '领导批示').length > 0);
    const [mailA] = mailsOf('a', '领导批示');
    expect(addresses(mailA)).toEqual(
      [email('区环保局'), email('区住建局'), ...directory.supervisors.map((s) => s.email)].sort(),
    );
    const first = `台督字〔${year}〕1号`;
    expect(mailA.text).toContain(`文号：${first}`);
    expect(mailA.text).toContain(`批示内容：${text}`);
    const docA = pdfOf(mailA);
    expect(docA.name).toBe(`督办单-${first}.pdf`);
    expect(docA.text).toContain('督办单');
    expect(docA.text).toContain(first);
    expect(docA.text).toContain(text);
    const docB = pdfOf(mailsOf('b', '领导批示')[0]);
    expect(docB.text).toContain(`台督字〔${year}〕2号`);
    expect(docB.text).toContain('请加快进度。');

    // On the timeline (the ledger) and in the projection.
    const ledger = await store.ledgerFor(a.workflowId);
    expect(ledger.map((e) => e.event.type)).toContain('InstructionGiven');
    expect((await store.getTask(a.workflowId))?.priority).toBe('high');
    expect((await store.getTask(b.workflowId))?.priority).toBeUndefined();

    // The due date passes (a's, not b's): the overdue notice (催办) carries the next document of its year, a 催办单.
    await env.sleep(Math.max(0, at9(addDays(due, 1)) + HOUR - (await env.currentTimeMs())));
    await smtp.waitFor(() => mailsOf('a', '催办').length > 0);
    const overdueYear = Number(addDays(due, 1).slice(0, 4));
    const third = `台督字〔${overdueYear}〕${overdueYear === year ? 3 : 1}号`;
    const [overdue] = mailsOf('a', '催办').filter((m) => !m.subject?.includes('领导批示'));
    const docC = pdfOf(overdue);
    expect(docC.name).toBe(`催办单-${third}.pdf`);
    expect(docC.text).toContain('催办单');
    expect(docC.text).toContain(third);
  });
});
