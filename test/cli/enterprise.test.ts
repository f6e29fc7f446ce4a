/**
 * `duban enterprise …` in-process on the real session and a real SQLite store in the data folder: add, list,
 * import (all or none, bad lines named), and the refusals that need no Temporal (which is not reachable).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { EXIT } from '../../cli/session';
import { openStore } from '../../store';
import { creditCode } from '../helpers/credit-code';

let tmp: string;
let env: Record<string, string>;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-enterprise-cli-'));
  env = { DUBAN_DATA_DIR: path.join(tmp, 'data'), TEMPORAL_ADDRESS: '127.0.0.1:1' };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[], extraEnv: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { ...env, ...extraEnv },
    cwd: tmp,
    today: '2027-06-01',
  });
  return { code, stdout, stderr };
}

const add = (code: string, ...rest: string[]) =>
  run([
    'enterprise',
    'add',
    '--name',
    '台儿庄某造纸厂',
    '--code',
    code,
    '--region',
    '泥沟镇',
    '--sector',
    '造纸',
    ...rest,
  ]);

test('区环保局 registers an enterprise; the list shows it, as text and JSON; the ledger has it', async () => {
  const code = creditCode();
  const r = await add(code.toLowerCase(), '--as', '区环保局');
  expect(r).toEqual({
    code: EXIT.ok,
    stderr: '',
    stdout: `已登记 / registered：台儿庄某造纸厂（${code}，泥沟镇，造纸）\n`,
  });
  const list = await run(['enterprise', 'list', '--json']);
  expect(list.code).toBe(EXIT.ok);
  expect((JSON.parse(list.stdout) as unknown[]).find((e) => (e as { code: string }).code === code)).toEqual({
    code,
    name: '台儿庄某造纸厂',
    region: '泥沟镇',
    sector: '造纸',
    registeredAt: expect.any(String),
    registeredBy: '区环保局',
    card: null,
  });
  expect((await run(['enterprise', 'list'])).stdout).toMatch(
    new RegExp(`台儿庄某造纸厂\\s+${code}\\s+泥沟镇\\s+造纸\\s+—`),
  );
  const store = await openStore(path.join(tmp, 'data', 'duban.db'));
  try {
    expect((await store.ledgerFor(`enterprise/${code}`)).map((e) => [e.seq, e.type])).toEqual([
      [1, 'EnterpriseRegistered'],
    ]);
  } finally {
    await store.close();
  }
  // Twice is refused, naming the code.
  const again = await add(code, '--as', '区环保局');
  expect(again.code).toBe(EXIT.error);
  expect(again.stderr).toBe(
    `错误 / error: code：统一社会信用代码 ${code} 已登记 / code: ${code} is already registered\n`,
  );
});

test('a bad credit code, an unknown 镇街 and another department are refused, naming the field', async () => {
  const good = creditCode();
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  const r = await add(bad, '--as', '区环保局');
  expect(r.code).toBe(EXIT.error);
  expect(r.stderr).toMatch(/^错误 \/ error: code：统一社会信用代码校验位不符（应为 .）/);
  const short = await add('91370405', '--as', '区环保局');
  expect(short.stderr).toContain('code：统一社会信用代码应为 18 位（现为 8 位）');
  const region = await run([
    'enterprise',
    'add',
    '--name',
    'A',
    '--code',
    good,
    '--region',
    '区水务局',
    '--sector',
    '化工',
    '--as',
    '区环保局',
  ]);
  expect(region.stderr).toContain('region：“区水务局”不是通讯录中的镇街');
  const other = await add(good, '--as', '区水务局');
  expect(other.code).toBe(EXIT.refused);
  expect(other.stderr).toBe(
    '已拒绝 / refused: 只有区环保局或督查室可以登记企业、检查和挂牌 / only 区环保局 or a supervisor may register, inspect or card an enterprise\n',
  );
  // The department is a setting (DUBAN_CARD_DEPARTMENT).
  const moved = await run(
    [
      'enterprise',
      'add',
      '--name',
      'B',
      '--code',
      good,
      '--region',
      '泥沟镇',
      '--sector',
      '化工',
      '--as',
      '区水务局',
    ],
    { DUBAN_CARD_DEPARTMENT: '区水务局' },
  );
  expect(moved.code).toBe(EXIT.ok);
});

test('a CSV import records all or nothing, every bad line named by its number', async () => {
  const [a, b, c] = [creditCode(), creditCode(), creditCode()];
  const badFile = path.join(tmp, 'bad.csv');
  fs.writeFileSync(
    badFile,
    `企业名称,统一社会信用代码,所在镇街,行业\n甲化工,${a},邳庄镇,化工\n乙纸业,${b.slice(0, 17)}Z,运河街道,造纸\n丙酿造,${c},火星镇,酿造\n丁,${a},邳庄镇,化工\n`,
  );
  const r = await run(['enterprise', 'import', 'bad.csv', '--as', '区环保局']);
  expect(r.code).toBe(EXIT.error);
  expect(r.stderr).toContain(
    '文件有 3 行有误，未录入任何数据 / 3 bad line(s): nothing from the file was recorded',
  );
  expect(r.stderr).toContain('第 3 行 / line 3: code：统一社会信用代码含有不允许的字符“Z”');
  expect(r.stderr).toContain('第 4 行 / line 4: region：“火星镇”不是通讯录中的镇街');
  expect(r.stderr).toContain(`第 5 行 / line 5: code：${a} 与第 2 行重复 / code: ${a} repeats line 2`);
  const listed = JSON.parse((await run(['enterprise', 'list', '--json'])).stdout) as { code: string }[];
  expect(listed.some((e) => e.code === a)).toBe(false);

  fs.writeFileSync(
    path.join(tmp, 'good.csv'),
    `name,code,region,sector\n甲化工,${a},邳庄镇,化工\n"乙纸业,有限公司",${b},运河街道,造纸\n`,
  );
  const ok = await run(['enterprise', 'import', 'good.csv', '--as', 'supervisor']);
  expect(ok).toMatchObject({ code: EXIT.ok, stdout: '已登记 2 家企业 / 2 enterprise(s) registered\n' });
  const after = JSON.parse((await run(['enterprise', 'list', '--json'])).stdout) as {
    code: string;
    name: string;
  }[];
  expect(after.find((e) => e.code === b)?.name).toBe('乙纸业,有限公司');
  // One already registered: that line is named, nothing else is added.
  fs.writeFileSync(
    path.join(tmp, 'again.csv'),
    `name,code,region,sector\n戊,${c},泥沟镇,化工\n甲化工,${a},邳庄镇,化工\n`,
  );
  const again = await run(['enterprise', 'import', 'again.csv', '--as', '区环保局']);
  expect(again.stderr).toContain(`第 3 行 / line 3: code：${a} 已登记 / code: ${a} is already registered`);
  const last = JSON.parse((await run(['enterprise', 'list', '--json'])).stdout) as { code: string }[];
  expect(last.some((e) => e.code === c)).toBe(false);
});

test('a card for an unknown enterprise names the code; a bad --color or --result is refused', async () => {
  const r = await run([
    'enterprise',
    'card',
    '--code',
    creditCode(),
    '--color',
    'yellow',
    '--reason',
    '超标',
    '--as',
    '区环保局',
  ]);
  expect(r.code).toBe(EXIT.error);
  expect(r.stderr).toMatch(
    /^错误 \/ error: code：没有统一社会信用代码为“[0-9A-Z]{18}”的登记企业 \/ code: no registered enterprise has the credit code/,
  );
  // A good enterprise and Temporal down: said so (exit 3), after the input was checked.
  const code = creditCode();
  await add(code, '--as', '区环保局');
  const down = await run([
    'enterprise',
    'card',
    '--code',
    code,
    '--color',
    'yellow',
    '--reason',
    '超标',
    '--as',
    '区环保局',
  ]);
  expect(down.code).toBe(EXIT.unavailable);
  const color = await run([
    'enterprise',
    'card',
    '--code',
    creditCode(),
    '--color',
    'green',
    '--reason',
    '超标',
    '--as',
    '区环保局',
  ]);
  expect(color).toMatchObject({
    code: EXIT.error,
    stderr: '错误 / error: --color 应为 yellow、red / --color must be one of yellow, red\n',
  });
  const result = await run([
    'enterprise',
    'inspect',
    '--code',
    creditCode(),
    '--result',
    'ok',
    '--note',
    'x',
    '--as',
    '区环保局',
  ]);
  expect(result.stderr).toBe('错误 / error: --result 应为 pass、fail / --result must be one of pass, fail\n');
});
