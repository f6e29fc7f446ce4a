/**
 * `duban token create` checks the unit against the directory and its kind: a region token named after a
 * department would act as that department, and 督查室 is a role, not a unit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { loadDirectory } from '../../directory/directory';
import { SHIPPED_DIRECTORY } from '../../config/config';
import { unitRefusal } from '../../services/tokens';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-sec-token-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: dir },
    today: '2026-11-28',
  });
  return { code, stdout, stderr };
}

test.each([
  [
    ['--role', 'region', '--region', '区环保局'],
    '--region: 区环保局 在通讯录中是责任单位，不是镇街 / 区环保局 is a department in the directory, not a region',
  ],
  [
    ['--role', 'department', '--dept', '泥沟镇'],
    '--dept: 泥沟镇 在通讯录中是镇街，不是责任单位 / 泥沟镇 is a region in the directory, not a department',
  ],
  [
    ['--role', 'department', '--dept', '督查室'],
    '--dept: 督查室 是督查室角色，不是责任单位：请用 --role supervisor / 督查室 is the supervisor role, not a department: use --role supervisor',
  ],
  [
    ['--role', 'department', '--dept', 'supervisor'],
    '--dept: supervisor 是督查室角色，不是责任单位：请用 --role supervisor',
  ],
  [
    ['--role', 'department', '--dept', '区环宝局'],
    '--dept: 通讯录中没有责任单位 区环宝局，是否应为 区环保局？ / no department 区环宝局 in the directory — did you mean 区环保局?',
  ],
  [['--role', 'region', '--region', '泥沟'], '--region: 通讯录中没有镇街 泥沟，是否应为 泥沟镇？'],
  [['--role', 'region', '--region', '经济开发区/高新区'], '--region: 不能含有 / / must not contain /'],
  [['--role', 'department', '--dept', '区环保局\u001b[2J'], '--dept: 含有控制字符或文字方向控制符（U+001B）'],
])('token create %j is refused, naming the option', async (args, message) => {
  const r = await run('token', 'create', ...args);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(message);
});

test('a department, an alias (under the directory’s name), a region and a supervisor token are made; none of the refused ones was', async () => {
  expect((await run('token', 'create', '--role', 'department', '--dept', '区环保局')).code).toBe(0);
  expect((await run('token', 'create', '--role', 'department', '--dept', '区环境保护局')).code).toBe(0);
  expect((await run('token', 'create', '--role', 'region', '--region', '经济开发区')).code).toBe(0);
  expect((await run('token', 'create', '--role', 'supervisor', '--name', '督查室')).code).toBe(0);
  const list = JSON.parse((await run('token', 'list', '--json')).stdout) as {
    name: string;
    department?: string;
  }[];
  expect(list[1].department).toBe('区环保局'); // the alias acts under the directory's name
  expect(list.map((t) => t.name)).toEqual(['区环保局', '区环保局-2', '经济开发区', '督查室']);
});

test('a kind stated in the directory wins over the name', () => {
  const shipped = loadDirectory(SHIPPED_DIRECTORY);
  const dirWith = {
    departments: {
      ...shipped.departments,
      台儿庄古城: { email: 'a@b.example', aliases: [], kind: 'region' as const },
    },
  };
  expect(unitRefusal(dirWith, 'region', '台儿庄古城')).toBeUndefined();
  expect(unitRefusal(dirWith, 'department', '台儿庄古城')).toMatch(/是镇街，不是责任单位/);
});
