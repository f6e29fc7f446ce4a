/** `duban token create | list | revoke` against a real store in a temp folder (no Temporal needed). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authenticate } from '../../services/auth';
import { main } from '../../cli/main';
import { openStore } from '../../store';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-token-cli-'));
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

const withStore = async <T>(fn: (s: Awaited<ReturnType<typeof openStore>>) => Promise<T>) => {
  const s = await openStore(path.join(dir, 'duban.db'));
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
};

describe('duban token', () => {
  let deptToken: string;

  it('create prints the token once on stdout, the notice on stderr; the store keeps only its hash', async () => {
    const r = await run('token', 'create', '--role', 'department', '--dept', '区环保局');
    expect(r.code).toBe(0);
    deptToken = r.stdout.trim();
    expect(deptToken).toMatch(/^dbn_[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toMatch(/^已创建 责任单位令牌“区环保局”（编号 1，区环保局）。令牌只显示这一次/);
    expect(r.stderr).not.toContain(deptToken);
    const db = fs.readFileSync(path.join(dir, 'duban.db'));
    expect(db.includes(Buffer.from(deptToken))).toBe(false);
    expect(await withStore((s) => authenticate(s, deptToken))).toEqual({
      role: 'department',
      department: '区环保局',
      name: '区环保局',
    });
  });

  it('create --json, a region token, and a supervisor named by --name', async () => {
    const r = await run('token', 'create', '--role', 'region', '--region', '泥沟镇', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({
      role: 'region',
      region: '泥沟镇',
      name: '泥沟镇',
      token: expect.stringMatching(/^dbn_/),
    });
    const s = await run('token', 'create', '--role', 'supervisor', '--name', '督查室张三');
    expect(s.code).toBe(0);
  });

  it('a second token for the same department gets its own name', async () => {
    const r = await run('token', 'create', '--role', 'department', '--dept', '区环保局', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ name: '区环保局-2' });
  });

  it('create refuses what a token cannot be, naming the option', async () => {
    const missing = await run('token', 'create', '--role', 'department');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      '错误 / error: --dept: department 令牌须指定单位 / a department token needs its department\n',
    );
    const role = await run('token', 'create', '--role', 'mayor');
    expect(role.code).toBe(1);
    expect(role.stderr).toMatch(
      /--role: 角色应为 \/ role must be one of supervisor, leadership, department, region/,
    );
    const taken = await run('token', 'create', '--role', 'leadership', '--name', '督查室张三');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/已有同名的有效令牌“督查室张三”/);
  });

  it('list shows names, roles and units, never a token', async () => {
    const r = await run('token', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/编号\s+名称\s+角色\s+单位\/镇街\s+创建时间\s+状态/);
    expect(r.stdout).toMatch(/1\s+区环保局\s+责任单位 department\s+区环保局\s+\S+ \S+\s+有效/);
    expect(r.stdout).not.toContain(deptToken);
    const json = JSON.parse((await run('token', 'list', '--json')).stdout) as object[];
    expect(json).toHaveLength(4);
    expect(JSON.stringify(json)).not.toMatch(/dbn_|hash/);
  });

  it('revoke by name or id; the token stops working; an unknown one is an error', async () => {
    const r = await run('token', 'revoke', '区环保局');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^已撤销令牌“区环保局”（编号 1）/);
    expect(await withStore((s) => authenticate(s, deptToken))).toBeUndefined();
    expect((await run('token', 'revoke', '2')).code).toBe(0);
    expect((await run('token', 'list')).stdout).toMatch(
      /2\s+泥沟镇\s+镇街 region\s+泥沟镇\s+\S+ \S+\s+已撤销/,
    );
    const none = await run('token', 'revoke', 'nobody');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('错误 / error: 没有令牌 nobody / no token nobody\n');
    // The name is free again once its token is revoked.
    expect((await run('token', 'create', '--role', 'department', '--dept', '区环保局')).code).toBe(0);
  });
});

describe('the first supervisor token', () => {
  it('is made only while there is no live supervisor token', async () => {
    const { ensureSupervisorToken } = await import('../../services/tokens');
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-first-'));
    const s = await openStore(path.join(d, 'duban.db'));
    try {
      const first = await ensureSupervisorToken(s);
      expect(first?.record).toMatchObject({ role: 'supervisor', name: 'supervisor' });
      expect(await ensureSupervisorToken(s)).toBeUndefined();
      await s.revokeToken('supervisor', new Date().toISOString());
      expect((await ensureSupervisorToken(s))?.record.name).toBe('supervisor');
    } finally {
      await s.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
