/**
 * `duban agreement …` in-process on the real session and a real SQLite store (Temporal is not needed to
 * show or sign): a unit's 目标责任书 for a year, its signing on the ledger with the content hash, a later
 * change to a listed task showing against the version signed, the refusals naming their field, and the
 * printable PDF read back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { TaskSpecInput } from '../../domain';
import { EXIT } from '../../cli/session';
import { createAgreementService } from '../../services/agreements';
import { createIndicatorService } from '../../services/indicators';
import { openStore, type Store } from '../../store';
import { indicatorPlan } from '../helpers/indicator-plan';
import { pdfText } from '../helpers/office';
import { record } from '../office/story';

let tmp: string;
let env: Record<string, string>;
let store: Store;
const PLAN = 'tz-agree';
const CHAIN = `agreement/${PLAN}/2027/运河街道`;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-agreement-cli-'));
  env = { DUBAN_DATA_DIR: path.join(tmp, 'data'), TEMPORAL_ADDRESS: '127.0.0.1:1' };
  store = await openStore(path.join(tmp, 'data', 'duban.db'));
  await createIndicatorService({ store }).start(indicatorPlan(PLAN, 2027));
  const task = (id: string, o: Omit<TaskSpecInput, 'plan' | 'id' | 'title'>) => ({
    plan: PLAN,
    id,
    title: `任务${id}`,
    ...o,
  });
  await record(
    store,
    task('1-1', {
      lead: ['区环保局'],
      cooperating: ['运河街道'],
      due: '2027-06-30',
      milestones: [
        { due: '2027-03-31', title: '完成排查' },
        { due: '2027-06-30', title: '完成整治' },
      ],
    }),
    '2027-01-04',
  );
  await record(
    store,
    task('1-2', { lead: ['运河街道'], region: '运河街道', due: '2027-09-30' }),
    '2027-01-04',
  );
  await record(store, task('1-3', { lead: ['区住建局'], due: '2028-03-31' }), '2027-01-04');
});
afterAll(async () => {
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd: tmp,
    today: '2027-02-01',
  });
  return { code, stdout, stderr };
}

const scope = (unit = '运河街道', year = '2027') => ['--plan', PLAN, '--year', year, '--unit', unit];

const AGREEMENT = {
  plan: PLAN,
  year: 2027,
  unit: '运河街道',
  kind: 'region',
  tasks: [
    { taskId: '1-1', title: '任务1-1', role: 'cooperating', due: '2027-06-30' },
    { taskId: '1-2', region: '运河街道', title: '任务1-2', role: 'lead', due: '2027-09-30' },
  ],
  milestones: [
    { taskId: '1-1', task: '任务1-1', title: '完成排查', due: '2027-03-31' },
    { taskId: '1-1', task: '任务1-1', title: '完成整治', due: '2027-06-30' },
  ],
  duties: [],
  indicators: [
    { indicator: 'black-odorous', name: '城区建成区黑臭水体', target: '≤ 40%', role: 'answerable' },
    { indicator: 'ammonia', name: '氨氮浓度', region: '运河街道', target: '≤ 1.5mg/L', role: 'answerable' },
  ],
};

test('a 镇街 sees its agreement, signs it on the ledger, and a later change shows against the signed version', async () => {
  const before = await run(['agreement', 'show', ...scope(), '--json']);
  expect(before).toMatchObject({ code: EXIT.ok, stderr: '' });
  const shown = JSON.parse(before.stdout) as {
    agreement: unknown;
    hash: string;
    signed: unknown;
    current: boolean;
  };
  expect(shown).toEqual({
    agreement: AGREEMENT,
    hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    signed: null,
    current: false,
  });
  const text = await run(['agreement', 'show', ...scope()]);
  expect(text.stdout).toContain('目标责任书 / responsibility agreement：运河街道（镇街） tz-agree 2027 年度');
  expect(text.stdout).toMatch(/1-2\/运河街道\s+任务1-2\s+牵头\s+2027-09-30/);
  expect(text.stdout).toContain(`未签订 / not signed（内容摘要 / content hash ${shown.hash}）`);

  const signed = await run(['agreement', 'sign', ...scope(), '--as', '运河街道']);
  expect(signed).toMatchObject({ code: EXIT.ok, stderr: '' });
  expect(signed.stdout).toBe(
    `已签订 / signed：运河街道 2027 年度目标责任书（台账 / ledger ${CHAIN} #1，内容摘要 / hash ${shown.hash}）\n`,
  );
  const chain = await store.ledgerFor(CHAIN);
  expect(chain.map((e) => e.event)).toEqual([
    {
      type: 'AgreementSigned',
      seq: 1,
      at: expect.any(String),
      plan: PLAN,
      year: 2027,
      unit: '运河街道',
      hash: shown.hash,
      by: '运河街道',
      tasks: 2,
    },
  ]);
  expect(await store.verifyLedger()).toMatchObject({ ok: true });
  // Signing the same content again records nothing.
  const again = await run(['agreement', 'sign', ...scope(), '--as', '运河街道']);
  expect(again.stdout).toBe(
    `此前已签订，内容未变 / already signed, unchanged（台账 / ledger ${CHAIN} #1）\n`,
  );
  expect(await store.ledgerFor(CHAIN)).toHaveLength(1);

  // An extension moves a listed task's due date: the signed version no longer is the content.
  const wf = `task/${PLAN}/1-2/运河街道`;
  const summary = (await store.getTask(wf))!;
  await store.appendEvents(wf, [
    {
      type: 'ExtensionGranted',
      by: 'supervisor',
      from: '2027-09-30',
      to: '2027-10-31',
      seq: summary.seq + 1,
      at: '2027-02-01T01:00:00.000Z',
    } as never,
  ]);
  await store.upsertTask({ ...summary, due: '2027-10-31', seq: summary.seq + 1 });
  const after = JSON.parse(
    (await run(['agreement', 'show', ...scope(), '--json'])).stdout,
  ) as typeof shown & {
    signed: { hash: string };
  };
  expect(after.current).toBe(false);
  expect(after.signed.hash).toBe(shown.hash);
  expect(after.hash).not.toBe(shown.hash);
  expect((await run(['agreement', 'show', ...scope()])).stdout).toContain(
    `签订后内容已变更，须重新签订 / changed since signed: signed ${shown.hash}, now ${after.hash}`,
  );
});

test.each([
  [
    ['show', ...scope('不存在镇')],
    EXIT.error,
    '错误 / error: unit：方案 tz-agree 没有单位“不存在镇” / unit: plan tz-agree names no unit “不存在镇”\n',
  ],
  [
    ['show', ...scope('运河街道', '2031')],
    EXIT.error,
    '错误 / error: year：方案 tz-agree 的年度为 2027–2028，没有 2031 年 / year: plan tz-agree runs 2027–2028; 2031 is out of range\n',
  ],
  [
    ['show', ...scope('运河街道', 'next')],
    EXIT.error,
    '错误 / error: year：“next”不是年份 / year: “next” is not a year\n',
  ],
  [
    ['sign', ...scope(), '--as', '区环保局'],
    EXIT.refused,
    "已拒绝 / refused: as：区环保局 不能代 运河街道 签订目标责任书 / as: 区环保局 may not sign 运河街道's agreement\n",
  ],
  [
    ['sign', ...scope(), '--as', 'supervisor'],
    EXIT.refused,
    '已拒绝 / refused: as：督查室不能代运河街道签订目标责任书，须由运河街道自己签订 / as: a supervisor may not sign for 运河街道: the unit signs its own agreement\n',
  ],
  [
    ['sign', ...scope('不存在镇'), '--as', '不存在镇'],
    EXIT.error,
    '错误 / error: unit：方案 tz-agree 没有单位“不存在镇” / unit: plan tz-agree names no unit “不存在镇”\n',
  ],
])('agreement %j is refused, naming the field, and nothing is signed', async (args, code, message) => {
  const before = (await store.ledgerFor(CHAIN)).length;
  const r = await run(['agreement', ...args]);
  expect(r).toEqual({ code, stdout: '', stderr: message });
  expect(await store.ledgerFor(CHAIN)).toHaveLength(before);
});

test('the agreement prints: the PDF’s text holds its tasks, targets and signing', async () => {
  const bytes = await createAgreementService({ store }).pdf(PLAN, 2027, '区环保局');
  const text = pdfText(bytes).replace(/ /g, '');
  expect(text).toContain('目标责任书');
  expect(text).toContain('2027年度');
  expect(text).toContain('区环保局');
  expect(text).toContain('任务1-1');
  expect(text).toContain('完成排查');
  expect(text).toContain('水质优良比例');
  expect(text).toContain('≥50%');
  expect(text).toContain('尚未签订');
});
