import { MockActivityEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAccountabilityActivities } from '../../activities/accountability';
import { headOf, loadDirectory, parseDirectory, postsOf, type Directory } from '../../directory/directory';
import { SHIPPED_DIRECTORY } from '../../config/config';
import { type TaskSpec, taskWorkflowId, type AccountabilityRecord, taskSpecSchema } from '../../domain';
import { openStore, type Store } from '../../store';

const sample = loadDirectory(SHIPPED_DIRECTORY);

describe('the directory keeps who held which post when', () => {
  test('the head on a day comes from the post history, else from the head listed now', () => {
    expect(headOf(sample, '区环保局', '2017-12-31')).toEqual({
      name: '张某某',
      post: '局长',
      department: '区环保局',
      email: 'huanbao.head@taierzhuang.gov.cn.example',
    });
    expect(headOf(sample, '区环境保护局', '2018-01-01')?.name).toBe('李某某');
    expect(headOf(sample, '区水务局', '2017-12-31')?.name).toBe('赵某某');
    expect(headOf(sample, '区水务局', '2018-01-01')?.name).toBe('张某某');
    expect(headOf(sample, '运河街道办事处', '2016-05-01')).toMatchObject({
      name: '王某某',
      post: '办事处主任',
    });
    // Before any recorded term, and for a department without history: the head the directory lists.
    expect(headOf(sample, '区环保局', '2014-02-28')?.name).toBe('区环保局局长');
    expect(headOf(sample, '区住建局', '2017-01-01')?.name).toBe('区住建局局长');
    expect(headOf(sample, '区不存在局', '2017-01-01')).toBeUndefined();
  });

  test("a person's posts, earliest first", () => {
    expect(postsOf(sample, '张某某')).toEqual([
      { post: '局长', department: '区环保局', from: '2014-03-01', to: '2017-12-31' },
      { post: '局长', department: '区水务局', from: '2018-01-01' },
    ]);
    expect(postsOf(sample, '无名氏')).toEqual([]);
  });

  test('two heads at once, a term that ends before it starts and a bad date are refused, by place', () => {
    const text = `
departments:
  区环保局: { email: a@x.example, head: { name: 局长, post: 局长, email: h@x.example } }
people:
  - { name: 甲, posts: [{ post: 局长, department: 区环保局, from: 2015-01-01, to: 2017-12-31 }] }
  - { name: 乙, posts: [{ post: 局长, department: 区环保局, from: 2017-06-01 }] }
  - { name: 丙, posts: [{ post: 副局长, department: 区环保局, from: 2016-01-01, to: 2015-01-01 }] }
  - { name: 丁, posts: [{ post: 科长, department: 市环保局, from: 2016-13-01 }] }
`;
    expect(() => parseDirectory(text, 'dir.yaml')).toThrow(
      'dir.yaml: invalid directory:\n' + '  people.3.posts.0.from: must be a date YYYY-MM-DD',
    );
    let message = '';
    try {
      parseDirectory(text.replace('2016-13-01', '2016-12-01'), 'dir.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'dir.yaml: invalid directory:\n' +
        '  people.1.posts.0.from: 区环保局局长 overlaps with 甲 (from 2015-01-01)\n' +
        '  people.2.posts.0.to: ends before it starts (2016-01-01)',
    );
  });
});

describe('recordAccountability', () => {
  let tmp: string;
  let store: Store;
  const warnings: string[] = [];
  const quiet = () => undefined;
  const env = new MockActivityEnvironment(undefined, {
    logger: {
      log: quiet,
      trace: quiet,
      debug: quiet,
      info: quiet,
      warn: (m: string) => void warnings.push(m),
      error: quiet,
    },
  });
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-accountability-'));
    store = await openStore(path.join(tmp, 'duban.db'));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const record = (directory: Directory, spec: TaskSpec, at: string): Promise<AccountabilityRecord[]> =>
    env.run(createAccountabilityActivities({ store, directory }).recordAccountability, {
      taskWorkflowId: taskWorkflowId(spec),
      spec,
      rung: 'accountability',
      reason: '约谈整改期满 30 日仍未完成整改',
      referral: '区监察局',
      at,
    }) as Promise<AccountabilityRecord[]>;

  const regional = taskSpecSchema().parse({
    plan: 'tez',
    id: '2-1-3',
    title: '集中治理工业集聚区水污染',
    lead: ['区环保局'],
    cooperating: ['区经信局'],
    region: '运河街道',
    due: '2016-12-31',
  });

  test('names the lead head and the region head on the day, once however often it is retried', async () => {
    const first = await record(sample, regional, '2017-08-01T02:00:00.000Z');
    expect(first).toEqual([
      expect.objectContaining({ person: { name: '张某某', post: '局长', department: '区环保局' } }),
      expect.objectContaining({ person: { name: '王某某', post: '办事处主任', department: '运河街道' } }),
    ]);
    expect(first[0]).toEqual({
      person: { name: '张某某', post: '局长', department: '区环保局' },
      taskWorkflowId: 'task/tez/2-1-3/运河街道',
      plan: 'tez',
      taskId: '2-1-3',
      taskTitle: '集中治理工业集聚区水污染',
      rung: 'accountability',
      reason: '约谈整改期满 30 日仍未完成整改',
      referral: '区监察局',
      at: '2017-08-01T02:00:00.000Z',
    });
    // A retry, even one that runs after the directory changed, writes nothing new and names the same people.
    const edited = structuredClone(sample);
    edited.people = edited.people.filter((p) => p.name !== '张某某');
    expect(await record(edited, regional, '2017-08-01T02:00:05.000Z')).toEqual(first);
    expect(await store.listAccountability({ taskWorkflowId: 'task/tez/2-1-3/运河街道' })).toHaveLength(2);
  });

  test('the record follows the person after a move (终身追责)', async () => {
    const later = taskSpecSchema().parse({
      plan: 'tez',
      id: '2-4-2',
      title: '加强河湖水生态保护',
      lead: ['区水务局'],
      due: '2018-06-30',
    });
    await record(sample, later, '2018-09-10T02:00:00.000Z');
    const his = await store.listAccountability({ person: '张某某' });
    expect(his.map((r) => [r.at.slice(0, 10), r.person.department, r.person.post, r.taskId])).toEqual([
      ['2017-08-01', '区环保局', '局长', '2-1-3'],
      ['2018-09-10', '区水务局', '局长', '2-4-2'],
    ]);
    // The environmental bureau's records are the old head's, not the new one's.
    expect((await store.listAccountability({ department: '区环保局' })).map((r) => r.person.name)).toEqual([
      '张某某',
    ]);
    expect(await store.listAccountability({ person: '李某某' })).toEqual([]);
  });

  test('co-leads: every lead department with `completion: all-leads`, only the first lead by default', async () => {
    const coLed = (id: string, completion?: 'first-lead' | 'all-leads') =>
      taskSpecSchema().parse({
        plan: 'tez',
        id,
        title: '河道综合整治',
        lead: ['区环保局', '区水务局'],
        cooperating: ['区住建局'],
        due: '2016-12-31',
        ...(completion ? { policy: { completion } } : {}),
      });
    const names = async (spec: TaskSpec) =>
      (await record(sample, spec, '2017-08-01T02:00:00.000Z')).map((r) => r.person);
    expect(await names(coLed('2-5-1', 'all-leads'))).toEqual([
      { name: '张某某', post: '局长', department: '区环保局' },
      { name: '赵某某', post: '局长', department: '区水务局' },
    ]);
    expect(await names(coLed('2-5-2'))).toEqual([{ name: '张某某', post: '局长', department: '区环保局' }]);
    expect(await names(coLed('2-5-3', 'first-lead'))).toEqual([
      { name: '张某某', post: '局长', department: '区环保局' },
    ]);
  });

  test('a department without a head in the directory still gets a record, naming the post', async () => {
    const dir = parseDirectory('departments:\n  区某局: { email: a@x.example }\n', 'inline');
    const spec = taskSpecSchema().parse({
      plan: 'tez',
      id: '9-9-9',
      title: '某任务',
      lead: ['区某局'],
      due: '2017-01-01',
    });
    const [r] = await record(dir, spec, '2017-05-01T02:00:00.000Z');
    expect(r.person).toEqual({
      name: '区某局主要负责人（通讯录未登记）',
      post: '主要负责人',
      department: '区某局',
    });
  });
});
