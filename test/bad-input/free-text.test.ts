/**
 * HTML, script and SQL in every free-text field, and header injection through titles and names, on a
 * real dev server with a real SMTP server. The ledger stores each text exactly as given; every mail
 * shows it escaped in its HTML part; no text can add a header or a recipient to a mail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { createMailer } from '../../activities/mailer';
import { buildHttpServer } from '../../http/server';
import { createToken } from '../../services/tokens';
import { ConfigError, loadConfig } from '../../config/config';
import { waitUntil, type ReceivedMail } from '../../bench/harness';
import { startBadInputRig, type BadInputRig } from './rig';

let rig: BadInputRig;
const plan = `xss-${Date.now().toString(36)}`;
const EVIL = `<script>alert("x")</script><img src=x onerror=alert(1)> '; DROP TABLE ledger; -- " OR 1=1 & ©`;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';
const INJECT = '正常标题\r\nBcc: evil@attacker.example\r\nX-Injected: yes';

const id = `${plan}/a`;
const iv = `${plan}/iv`;

// Every test reads what this leaves: tasks a (every command that takes a text), c (cancelled) and iv
// (interviewed), each text EVIL.
beforeAll(async () => {
  rig = await startBadInputRig('freetext');
  await rig.duban.startTasks([
    {
      plan,
      id: 'a',
      title: EVIL,
      text: EVIL,
      lead: ['区环保局'],
      cooperating: ['区发改局'],
      due: '2030-12-31',
    },
    { plan, id: 'c', title: '撤销任务', lead: ['区环保局'], due: '2030-12-31' },
    {
      plan,
      id: 'iv',
      title: '约谈任务',
      lead: ['区住建局'],
      due: '2001-01-01',
      policy: {
        secondsPerDay: 1,
        interviewAfterOverdue: '1d',
        ackReminderAfter: '3000d',
        ackAlertAfter: '3000d',
      },
    },
  ]);
  const d = rig.duban;
  await d.command(id, 'acknowledge', { actor: '区环保局' });
  await d.command(id, 'reportProgress', { actor: '区环保局', note: EVIL });
  await d.command(id, 'requestExtension', { actor: '区环保局', to: '2031-06-30', reason: EVIL });
  await d.command(id, 'decideExtension', { actor: 'supervisor', approve: false, note: EVIL });
  await d.command(id, 'submitCompletion', { actor: '区环保局', summary: EVIL });
  await d.command(id, 'rejectCompletion', { actor: 'supervisor', reason: EVIL });
  await d.command(id, 'submitCompletion', { actor: '区环保局', summary: EVIL });
  await d.command(id, 'verifyCompletion', { actor: 'supervisor', note: EVIL });
  await d.command(`${plan}/c`, 'cancel', { actor: 'supervisor', reason: EVIL });
  // Right after the start the workflow has no state yet.
  await waitUntil('the interview to be ordered', async () => !!(await d.state(iv))?.interview, 60_000);
  await d.command(iv, 'scheduleInterview', { actor: 'supervisor', at: '2030-01-02 09:30', place: EVIL });
  await d.command(iv, 'recordInterview', {
    actor: 'supervisor',
    attendees: [EVIL.slice(0, 100)],
    opinions: EVIL,
  });
  await d.command(iv, 'verifyCompletion', { actor: 'supervisor' }).catch(() => undefined);
});
afterAll(async () => {
  await rig?.close();
});

const mailsOf = (ref: string) => rig.sink.messages.filter((m) => m.subject.includes(ref));

function expectSafe(m: ReceivedMail): void {
  expect(m.html).not.toContain('<script>');
  expect(m.html).not.toContain('<img src=x');
  expect(m.headerLines.map((h) => h.key)).not.toContain('bcc');
  expect(m.headerLines.map((h) => h.key)).not.toContain('x-injected');
  for (const r of m.rcptTo) expect(r).not.toMatch(/attacker/);
}

test('every free-text field: stored as given on the ledger, escaped in every mail', async () => {
  // The ledger keeps every text exactly as it was given.
  const ledger = [
    ...(await rig.store.ledgerFor(`task/${id}`)),
    ...(await rig.store.ledgerFor(`task/${plan}/c`)),
    ...(await rig.store.ledgerFor(`task/${iv}`)),
  ];
  const texts = ledger.flatMap((e): [string, unknown][] => {
    const ev = e.event as unknown as Record<string, unknown>;
    if (e.type === 'TaskAssigned') {
      const spec = ev.spec as { title: string; text: string };
      return spec.title === EVIL
        ? [
            ['title', spec.title],
            ['text', spec.text],
          ]
        : [];
    }
    return (['note', 'reason', 'summary', 'place', 'opinions'] as const)
      .filter((k) => typeof ev[k] === 'string')
      .map((k): [string, unknown] => [`${e.type}.${k}`, ev[k]])
      .concat(Array.isArray(ev.attendees) ? [[`${e.type}.attendees`, (ev.attendees as string[])[0]]] : []);
  });
  expect(texts.map(([k]) => k).sort()).toEqual(
    [
      'title',
      'text',
      'ProgressReported.note',
      'ExtensionRequested.reason',
      'ExtensionDenied.note',
      'CompletionSubmitted.summary',
      'CompletionRejected.reason',
      'CompletionSubmitted.summary',
      'CompletionVerified.note',
      'TaskCancelled.reason',
      'InterviewScheduled.place',
      'InterviewRecorded.opinions',
      'InterviewRecorded.attendees',
    ].sort(),
  );
  for (const [k, v] of texts)
    expect([k, v]).toEqual([k, k.endsWith('attendees') ? EVIL.slice(0, 100) : EVIL]);
  // The SQL in them was data, not a statement: the ledger is whole.
  expect(await rig.store.verifyLedger()).toMatchObject({ ok: true });

  // Every mail: the texts are escaped in its HTML and present as they are in its plain text.
  await rig.settle(`task/${id}`);
  await rig.sink.waitFor('the interview record mail', () =>
    mailsOf(`${plan}/iv`).some((m) => m.subject.includes('约谈整改意见')),
  );
  await rig.sink.waitFor('the cancellation mail', () =>
    mailsOf(`${plan}/c`).some((m) => m.subject.includes('任务撤销')),
  );
  const taskMails = mailsOf(`${plan}/a`);
  expect(taskMails.map((m) => m.subject.replace(/：.*/, '')).sort()).toEqual(
    [
      '【督办】任务交办',
      '【督办】延期申请',
      '【督办】延期未批准',
      '【督办】办结待审核',
      '【督办】办结被退回',
      '【督办】办结待审核',
      '【督办】办结审核通过',
    ].sort(),
  );
  const withText = [
    ...taskMails,
    ...mailsOf(`${plan}/c`).filter((m) => m.subject.includes('任务撤销')),
    ...mailsOf(`${plan}/iv`).filter((m) => /约谈安排|约谈整改意见/.test(m.subject)),
  ];
  for (const m of withText) {
    expectSafe(m);
    expect(m.html).toContain(ESCAPED);
    expect(m.text).toContain('<script>alert("x")</script>');
  }
});

test('the dashboard shows every text escaped: task list, task page, interview list', async () => {
  const app = buildHttpServer({ facade: rig.duban, store: rig.store, pages: { pollMs: 60_000 } });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { token } = await createToken(rig.store, { role: 'supervisor', name: 'xss' });
    const get = async (url: string) => {
      const r = await fetch(base + url, { headers: { authorization: `Bearer ${token}` } });
      expect([url, r.status]).toEqual([url, 200]);
      return r.text();
    };
    for (const url of [
      `/tasks?plan=${plan}`,
      `/tasks/${plan}/a`,
      `/tasks/${plan}/c`,
      `/tasks/${plan}/iv`,
      '/interviews',
    ]) {
      const page = await get(url);
      expect([url, page.includes('<script>alert')]).toEqual([url, false]);
      expect([url, page.includes('<img src=x')]).toEqual([url, false]);
    }
    expect(await get(`/tasks/${plan}/a`)).toContain('&lt;script&gt;alert(');
  } finally {
    await app.close();
  }
});

test('header injection through a title: refused at the door, the field named; nothing started', async () => {
  // A title is one line: CR and LF are control characters the task spec refuses (a title stored before
  // that rule reaches the mailer, whose own folding the next test holds to).
  await expect(
    rig.duban.startTasks([{ plan, id: 'h', title: INJECT, lead: ['区环保局'], due: '2030-12-31' }]),
  ).rejects.toMatchObject({ field: 'specs[0].title', message: expect.stringMatching(/U\+000D/) });
  // Refused before any workflow was started: there is nothing that could mail or record later.
  expect(mailsOf(`${plan}/h`)).toEqual([]);
  expect(await rig.store.ledgerFor(`task/${plan}/h`)).toEqual([]);
});

test('header injection through names and subjects at the mailer, and through the sender setting', async () => {
  const dir = path.join(rig.tmp, 'eml');
  const mailer = createMailer({ from: '督查室 <duban@test.example>', dir });
  const { file } = await mailer.send({
    messageId: '<inject@duban>',
    to: [{ name: '区环保局\r\nBcc: evil@attacker.example', email: 'huanbao@taierzhuang.gov.cn.example' }],
    subject: '标题\nX-Injected: yes\r\n\r\n<html>body</html>',
    text: '正文',
    html: '<p>正文</p>',
  });
  const raw = fs.readFileSync(file!);
  const parsed = await simpleParser(raw);
  const keys = parsed.headerLines.map((h) => h.key);
  expect(keys).not.toContain('bcc');
  expect(keys).not.toContain('x-injected');
  expect(keys.filter((k) => k === 'subject')).toHaveLength(1);
  expect(parsed.subject).toBe('标题 X-Injected: yes <html>body</html>');
  const to = ([] as { value: { address?: string }[] }[]).concat((parsed.to ?? []) as never);
  expect(to.flatMap((t) => t.value.map((v) => v.address))).toEqual(['huanbao@taierzhuang.gov.cn.example']);
  mailer.close();

  expect(() => loadConfig({ DUBAN_MAIL_FROM: 'duban@x.example\r\nBcc: evil@attacker.example' })).toThrow(
    ConfigError,
  );
  expect(() => loadConfig({ DUBAN_MAIL_FROM: 'duban@x.example\r\nBcc: evil@attacker.example' })).toThrow(
    /DUBAN_MAIL_FROM/,
  );
});
