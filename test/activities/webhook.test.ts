import { MockActivityEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createActivities, noticeMessageId } from '../../activities';
import { createMailer } from '../../activities/mailer';
import { webhookBody } from '../../activities/notifier';
import { parseDirectory } from '../../directory/directory';
import { assign, evolve, noticesFor, taskWorkflowId, type TaskSpec } from '../../domain';
import { openStore, type Store } from '../../store';

/** A group robot on 127.0.0.1: records what it was sent; answers 500 or refuses connections on demand. */
async function startReceiver() {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  let mode: 'ok' | 'fail' = 'ok';
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (mode === 'fail') {
        res.writeHead(500).end('{"errcode":-1,"errmsg":"down"}');
        return;
      }
      received.push({ path: req.url ?? '', body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  const listen = (port = 0) =>
    new Promise<number>((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const port = await listen();
  return {
    port,
    received,
    fail: (on: boolean) => void (mode = on ? 'fail' : 'ok'),
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
    restart: () => listen(port),
  };
}

let tmp: string;
let store: Store;
let robot: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-webhook-'));
  store = await openStore(path.join(tmp, 'duban.db'));
  robot = await startReceiver();
});
afterAll(async () => {
  await robot.stop().catch(() => undefined);
  await store.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const directoryText = (port: number) => `
supervisors:
  - { name: 督查室, email: duchashi@test.example }
departments:
  区环保局:
    email: huanbao@test.example
    channels: [{ type: wecom, url: "http://127.0.0.1:${port}/wecom?key=k1" }]
  区发改局:
    email: fagai@test.example
    channels: [{ type: dingtalk, url: "http://127.0.0.1:${port}/dingtalk?access_token=t1" }, { type: mail }]
  区经信局:
    email: jingxin@test.example
`;

let counter = 0;
function task() {
  const spec: TaskSpec = {
    plan: 'hook',
    id: `1-${++counter}`,
    title: '加强工业污染防治',
    text: '',
    lead: ['区环保局'],
    cooperating: ['区发改局', '区经信局'],
    due: '2026-12-31',
  };
  const [event] = assign(spec, '2026-03-01T01:00:00.000Z');
  const state = evolve(undefined, event);
  return { workflowId: taskWorkflowId(spec), state, notice: noticesFor(event, state)[0] };
}

function activities(mails: string[][]) {
  return createActivities({
    store,
    directory: parseDirectory(directoryText(robot.port), 'test directory'),
    mailer: {
      ...createMailer({ from: 'duban <duban@test.example>', dir: path.join(tmp, 'mail') }),
      send: async (m) => {
        mails.push(m.to.map((r) => r.email).sort());
        return { messageId: m.messageId };
      },
    },
  });
}

const env = new MockActivityEnvironment();

test('each department hears on its channel once: 企业微信 markdown, 钉钉 markdown plus mail, mail alone', async () => {
  const { workflowId, state, notice } = task();
  const mails: string[][] = [];
  const acts = activities(mails);
  const start = robot.received.length;
  const r = await env.run(acts.sendNotice, { workflowId, notice, state });
  expect(r).toMatchObject({ status: 'sent', recipients: ['fagai@test.example', 'jingxin@test.example'] });
  await env.run(acts.sendNotice, { workflowId, notice, state });

  const got = robot.received.slice(start);
  expect(got.map((g) => g.path).sort()).toEqual(['/dingtalk?access_token=t1', '/wecom?key=k1']);
  const id = noticeMessageId(workflowId, notice.key);
  const wecom = got.find((g) => g.path.startsWith('/wecom'))!.body as {
    msgtype: string;
    markdown: { content: string };
  };
  expect(wecom.msgtype).toBe('markdown');
  expect(wecom.markdown.content).toContain('加强工业污染防治');
  expect(wecom.markdown.content).toContain(id);
  const ding = got.find((g) => g.path.startsWith('/dingtalk'))!.body as {
    msgtype: string;
    markdown: { title: string; text: string };
  };
  expect(ding.msgtype).toBe('markdown');
  expect(ding.markdown.title).toContain('加强工业污染防治');
  expect(ding.markdown.text).toContain(id);
  expect(mails).toEqual([['fagai@test.example', 'jingxin@test.example']]);
});

test('a robot that answers 500 or is gone is retried, and hears once when it is back', async () => {
  const { workflowId, state, notice } = task();
  const mails: string[][] = [];
  const acts = activities(mails);
  const start = robot.received.length;

  robot.fail(true);
  await expect(env.run(acts.sendNotice, { workflowId, notice, state })).rejects.toThrow(/answered 500/);
  robot.fail(false);
  await robot.stop();
  await expect(env.run(acts.sendNotice, { workflowId, notice, state })).rejects.toThrow();
  expect(robot.received.length).toBe(start);
  expect(mails).toEqual([]);
  expect((await store.listOutbox(workflowId)).find((e) => e.key === notice.key)?.status).toBe('pending');

  await robot.restart();
  expect(await env.run(acts.sendNotice, { workflowId, notice, state })).toMatchObject({ status: 'sent' });
  await env.run(acts.sendNotice, { workflowId, notice, state });
  const got = robot.received.slice(start);
  expect(got.map((g) => g.path).sort()).toEqual(['/dingtalk?access_token=t1', '/wecom?key=k1']);
  expect(mails).toHaveLength(1);
});

test('the text format of both robots', () => {
  const m = { messageId: '<x@duban>', subject: '主题', text: '正文' };
  expect(webhookBody({ type: 'wecom', url: 'http://h/', format: 'text' }, m)).toEqual({
    msgtype: 'text',
    text: { content: '主题\n\n正文\n\n消息编号 / message id: <x@duban>' },
  });
  expect(webhookBody({ type: 'dingtalk', url: 'http://h/', format: 'markdown' }, m)).toEqual({
    msgtype: 'markdown',
    markdown: { title: '主题', text: '### 主题\n\n正文\n\n> 消息编号 / message id: <x@duban>' },
  });
});
