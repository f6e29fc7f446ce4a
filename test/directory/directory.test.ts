import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  findDepartment,
  loadDirectory,
  parseDirectory,
  resolveAudience,
  unknownDepartments,
  type Directory,
} from '../../directory/directory';

const SAMPLE = path.join(__dirname, '..', '..', 'directory', 'taierzhuang.yaml');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-directory-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('the sample directory', () => {
  const dir = loadDirectory(SAMPLE);

  test('has every department the 2016 plan gives responsibility to', () => {
    // Every name in the plan's clauses like (区环保局牵头，区发改局、区经信局等配合).
    const named = [
      '区环保局',
      '区水务局',
      '区发改局',
      '区住建局',
      '区经信局',
      '区财政局',
      '区农业局',
      '区国土资源分局',
      '区畜牧水产局',
      '区林业局',
      '区卫计局',
      '区科技局',
      '区市场监管局',
      '区商务局',
      '区金融办',
      '区监察局',
      '区物价局',
      '区公安分局',
      '区人民银行',
      '区交通运输局',
      '区规划局',
      '区规划分局',
      '区编办',
      '区教育局',
      '区安监局',
      '区委组织部',
      '区城管局',
      '区地税分局',
      '区国资局',
      '区国税局',
    ];
    expect(named.filter((d) => findDepartment(dir, d) === undefined)).toEqual([]);
    expect(
      unknownDepartments(
        dir,
        named.map((department) => ({ department })),
      ),
    ).toEqual([]);
  });

  test('has the regions, two supervisors, two leaders, and only reserved .example addresses', () => {
    for (const r of ['运河街道', '泥沟镇', '邳庄镇', '张山子镇', '马兰屯镇', '涧头集镇', '经济开发区'])
      expect(dir.departments[r]).toBeDefined();
    expect(dir.supervisors).toHaveLength(2);
    expect(dir.leadership).toHaveLength(2);
    expect(dir.departments['区环保局']).toEqual({
      email: 'huanbao@taierzhuang.gov.cn.example',
      aliases: ['区环境保护局'],
      head: { name: '区环保局局长', post: '局长', email: 'huanbao.head@taierzhuang.gov.cn.example' },
    });
    const emails = [
      ...dir.supervisors.map((p) => p.email),
      ...dir.leadership.map((p) => p.email),
      ...Object.values(dir.departments).flatMap((d) => [d.email, d.head?.email ?? '']),
    ];
    expect(emails.filter((e) => !e.endsWith('.example'))).toEqual([]);
    expect(new Set(emails).size).toBe(emails.length);
  });
});

describe('errors name the file and the place in it', () => {
  test('a bad address', () => {
    const file = write('bad-email.yaml', 'departments:\n  区环保局:\n    email: not-an-address\n');
    expect(() => loadDirectory(file)).toThrow(
      `${file}: invalid directory:\n  departments.区环保局.email: invalid email`,
    );
  });

  test('a missing field, an unknown key, a leader without a post', () => {
    const file = write(
      'several.yaml',
      'supervisors:\n  - { name: 督查室 }\nleadership:\n  - { name: 区长, email: qz@x.example }\nextra: 1\n',
    );
    let message = '';
    try {
      loadDirectory(file);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(file);
    expect(message).toContain('  supervisors.0.email: required\n');
    expect(message).toContain('  leadership.0.post: required\n');
    expect(message).toMatch(/\(top level\): .*extra/);
  });

  test('an alias that names another department', () => {
    const file = write(
      'alias.yaml',
      'departments:\n  区环保局: { email: a@x.example }\n  区水务局: { email: b@x.example, aliases: [区水利局, 区环保局] }\n',
    );
    expect(() => loadDirectory(file)).toThrow(
      'departments.区水务局.aliases.1: "区环保局" already names 区环保局',
    );
  });

  test('YAML that does not parse, and a file that is not there', () => {
    const file = write('broken.yaml', 'departments:\n  区环保局: { email: a@x.example\n');
    expect(() => loadDirectory(file)).toThrow(`${file}: not valid YAML`);
    const missing = path.join(tmp, 'nope.yaml');
    expect(() => loadDirectory(missing)).toThrow(`${missing}: cannot read the directory (ENOENT)`);
  });
});

describe('resolveAudience', () => {
  const dir: Directory = parseDirectory(
    `
supervisors:
  - { name: 督查室, email: dcs@x.example }
  - { name: 督查室主任, email: DCS@x.example }
leadership:
  - { name: 区长, post: 区长, email: qz@x.example }
departments:
  区环保局: { email: hbj@x.example, aliases: [区环境保护局] }
  区水务局: { email: swj@x.example }
`,
    'inline',
  );

  test('departments by name or alias, each address once, in order of mention', () => {
    expect(
      resolveAudience(dir, [
        { department: '区环境保护局' },
        { department: '区水务局' },
        { department: '区环保局' },
        { role: 'supervisors' },
        { role: 'leadership' },
      ]),
    ).toEqual([
      { name: '区环保局', email: 'hbj@x.example' },
      { name: '区水务局', email: 'swj@x.example' },
      { name: '督查室', email: 'dcs@x.example' },
      { name: '区长', email: 'qz@x.example' },
    ]);
  });

  test('an unknown department reaches nobody and is reported', () => {
    const audience = [{ department: '区不存在局' }, { department: '区水务局' }];
    expect(resolveAudience(dir, audience)).toEqual([{ name: '区水务局', email: 'swj@x.example' }]);
    expect(unknownDepartments(dir, audience)).toEqual(['区不存在局']);
    expect(resolveAudience(dir, [{ department: 'toString' }])).toEqual([]);
  });
});
