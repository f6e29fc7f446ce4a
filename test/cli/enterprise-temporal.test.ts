/**
 * `duban enterprise card` and `inspect` from the CLI, against the time-skipping server and duban's worker with
 * its real activities, on one real SQLite store: the card is given, shows in the lists, and a passing
 * re-inspection lifts it.
 */
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { main } from '../../cli/main';
import { EXIT } from '../../cli/session';
import { cardWorkflowId } from '../../domain/cards';
import { cardStateQuery } from '../../workflows/card-messages';
import { creditCode } from '../helpers/credit-code';
import { startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
let worker: Worker;
let running: Promise<void>;
let env: Record<string, string>;

beforeAll(async () => {
  duban = await startTimeSkippedDuban('card-cli');
  const taskQueue = uniqueId('card-cli');
  worker = await duban.createWorker(taskQueue);
  running = worker.run();
  env = {
    DUBAN_DATA_DIR: path.join(duban.tmp, 'data'),
    DUBAN_DB_URL: path.join(duban.tmp, 'duban.db'),
    TEMPORAL_ADDRESS: duban.env.address,
    DUBAN_TASK_QUEUE: taskQueue,
  };
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await duban?.teardown();
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd: duban.tmp,
  });
  return { code, stdout, stderr };
}

test('a yellow card from the CLI, listed, then lifted by a passing re-inspection', async () => {
  const code = creditCode();
  const added = await run([
    'enterprise',
    'add',
    '--name',
    '甲化工',
    '--code',
    code,
    '--region',
    '邳庄镇',
    '--sector',
    '化工',
    '--as',
    '区环保局',
  ]);
  expect(added.code).toBe(EXIT.ok);
  const given = await run([
    'enterprise',
    'card',
    '--code',
    code,
    '--color',
    'yellow',
    '--measure',
    '限产',
    '--reason',
    '超标排放',
    '--due',
    '2099-12-31',
    '--as',
    '区环保局',
  ]);
  expect(given).toEqual({
    code: EXIT.ok,
    stderr: '',
    stdout: `已挂黄牌 / card given：${code} 第 1 张（限产，整改期限 2099-12-31）\n`,
  });
  const h = duban.env.client.workflow.getHandle(cardWorkflowId(code));
  for (let i = 0; (await h.query(cardStateQuery)).step < 1; i++) {
    if (i > 200) throw new Error('the card was never recorded');
    await new Promise((r) => setTimeout(r, 100));
  }
  const listed = await run(['enterprise', 'list']);
  expect(listed.stdout).toMatch(
    new RegExp(`甲化工\\s+${code}\\s+邳庄镇\\s+化工\\s+黄牌（限产） 期限 2099-12-31`),
  );
  const again = await run([
    'enterprise',
    'card',
    '--code',
    code,
    '--color',
    'red',
    '--reason',
    '再犯',
    '--as',
    '区环保局',
  ]);
  expect(again.code).toBe(EXIT.refused);
  expect(again.stderr).toContain(`企业 ${code} 已有未撤销的黄牌，复查合格撤牌后才能再挂牌`);

  const lifted = await run([
    'enterprise',
    'inspect',
    '--code',
    code,
    '--result',
    'pass',
    '--note',
    '复查合格',
    '--as',
    '区环保局',
  ]);
  expect(lifted).toEqual({
    code: EXIT.ok,
    stderr: '',
    stdout: '复查合格，已撤牌 / passed: the card is lifted：甲化工\n',
  });
  const none = await run([
    'enterprise',
    'inspect',
    '--code',
    code,
    '--result',
    'pass',
    '--note',
    '再查',
    '--as',
    '区环保局',
  ]);
  expect(none.code).toBe(EXIT.refused);
  expect(none.stderr).toBe(
    `已拒绝 / refused: 企业 ${code} 没有未撤销的黄牌或红牌，复查合格无牌可撤 / enterprise ${code} has no open card; a passing inspection has nothing to lift\n`,
  );
  const fail = await run([
    'enterprise',
    'inspect',
    '--code',
    code,
    '--result',
    'fail',
    '--note',
    '夜间偷排',
    '--as',
    '区环保局',
    '--json',
  ]);
  expect(fail.code).toBe(EXIT.ok);
  const cards = JSON.parse((await run(['enterprise', 'cards', '--all', '--json'])).stdout) as {
    code: string;
    status: string;
  }[];
  expect(cards.filter((c) => c.code === code).map((c) => c.status)).toEqual(['lifted']);
  expect((await duban.store.ledgerFor(`enterprise/${code}`)).map((e) => e.type)).toEqual([
    'EnterpriseRegistered',
    'CardIssued',
    'EnterpriseInspected',
    'CardLifted',
    'EnterpriseInspected',
  ]);
});
