import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import { TemporalUnavailable } from '../../services/errors';
import type { DubanClient } from '../../services/facade';
import type { TaskStatus, TaskSummary } from '../../domain';
import { openStore, type Store } from '../../store';
import {
  addDays,
  addWorkingDays,
  atLocalHour,
  builtinCalendar,
  mergeCalendars,
  toMillis,
} from '../../domain';
import { createDubanClient } from '../../services/facade';
import { tellTasksOfNewCalendar } from '../../services/calendar';
import { taskWorkflow } from '../../workflows';
import { acknowledgeUpdate, upcomingQuery } from '../../workflows/task-messages';
import { startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

const EXAMPLE = path.join(__dirname, '../../examples/calendar-2027.yaml');
const NOT_PUBLISHED =
  '未发布（按周一至周五计算，标记为暂定） / not published (weekdays only, marked provisional)';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-calendar-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[], io: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: path.join(tmp, 'unused'), TEMPORAL_ADDRESS: '127.0.0.1:1' },
    today: '2026-11-28',
    open: () => Promise.reject(new Error('this command should not have opened a session')),
    ...io,
  });
  return { code, stdout, stderr };
}

interface Signals {
  sent: { ids: readonly string[]; signal: string }[];
}

/** A session over a real store, with a facade that records the signals it is asked to send. */
function session(
  store: Store,
  signals: Signals,
  opts: { temporal?: boolean; closed?: string[] } = {},
): CliIo['open'] {
  const facade: Partial<DubanClient> = {
    signalAll: async (ids, signal) => {
      signals.sent.push({ ids, signal: signal.name });
      const closed = ids.filter((id) => opts.closed?.includes(id));
      return { signalled: ids.filter((id) => !closed.includes(id)), closed };
    },
  };
  return async () =>
    ({
      facade: facade as DubanClient,
      address: 'localhost:7233',
      ensureTemporal: async () => {
        if (opts.temporal === false) throw new TemporalUnavailable('down', 'server');
      },
      store: async () => store,
      close: async () => undefined,
    }) satisfies Session;
}

const task = (id: string, status: TaskStatus): TaskSummary => ({
  workflowId: `task/p/${id}`,
  plan: 'p',
  taskId: id,
  title: `任务 ${id}`,
  lead: ['区环保局'],
  cooperating: [],
  status,
  due: '2027-06-30',
  escalation: 'none',
  acknowledged: [],
  assignedAt: '2026-03-01T01:00:00.000Z',
  updatedAt: '2026-03-01T01:00:00.000Z',
  seq: 1,
});

async function freshStore(name: string, tasks: TaskSummary[] = []): Promise<Store> {
  const store = await openStore(path.join(tmp, name, 'duban.db'));
  for (const t of tasks) await store.upsertTask(t);
  return store;
}

function writeFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('calendar load', () => {
  it('stores the year, says what was loaded and tells every open task to re-plan', async () => {
    const store = await freshStore('load', [
      task('1', 'assigned'),
      task('2', 'acknowledged'),
      task('3', 'submitted'),
      task('4', 'completed'),
      task('5', 'cancelled'),
    ]);
    const signals: Signals = { sent: [] };
    try {
      const r = await run(['calendar', 'load', EXAMPLE], {
        open: session(store, signals, { closed: ['task/p/3'] }),
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const saved = await store.calendarYears();
      expect(saved).toHaveLength(1);
      expect(saved[0]).toMatchObject({
        year: 2027,
        source: '示例，非官方安排 / example, not the official schedule',
      });
      expect(saved[0].holidays).toHaveLength(29);
      expect(saved[0].workdays).toEqual([
        '2027-01-31',
        '2027-02-20',
        '2027-04-25',
        '2027-05-08',
        '2027-09-26',
        '2027-10-09',
      ]);
      expect(r.stdout).toContain('已载入 2027 年工作日历 / loaded the 2027 calendar');
      expect(r.stdout).toContain('放假 29 天 / days off: 29');
      expect(r.stdout).toContain('  2027-02-05 – 2027-02-13（星期五–星期六，9 天 / days）');
      expect(r.stdout).toContain('  2027-06-09（星期三）');
      expect(r.stdout).toContain('调休上班 6 天 / working weekend days: 6');
      expect(r.stdout).toContain('  2027-01-31（星期日）');
      expect(signals.sent).toEqual([
        {
          ids: expect.arrayContaining(['task/p/1', 'task/p/2', 'task/p/3']) as unknown,
          signal: 'calendarUpdated',
        },
      ]);
      expect(signals.sent[0].ids).toHaveLength(3);
      expect(r.stdout).toContain(
        '已通知 2 项未办结任务重新计算期限（1 项已结束） / told 2 open task(s) to re-plan (1 had already closed)',
      );

      // Loading the year again replaces it and says so.
      const again = await run(['calendar', 'load', EXAMPLE, '--json'], { open: session(store, signals) });
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({
        year: 2027,
        openTasks: 3,
        signalled: 3,
        closed: 0,
        temporal: 'ok',
      });
      expect(await store.calendarYears()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('keeps the calendar when Temporal is down and says the worker tells the tasks once it is back', async () => {
    const store = await freshStore('down', [task('1', 'assigned')]);
    try {
      const r = await run(['calendar', 'load', EXAMPLE], {
        open: session(store, { sent: [] }, { temporal: false }),
      });
      expect(r.code).toBe(0);
      expect((await store.calendarYears()).map((y) => y.year)).toEqual([2027]);
      expect(r.stderr).toContain('日历已保存，但无法连接 Temporal');
      expect(r.stderr).toContain('the duban worker tells them to re-plan once Temporal is back');
      expect(r.stderr).toContain('run this command again once duban is running');
    } finally {
      await store.close();
    }
  });

  it('names the file, field and index of a bad date and stores nothing', async () => {
    const file = writeFile(
      'bad-2027.yaml',
      'year: 2027\nholidays: [2027-01-01, 2027-01-02, 2027-01-03, 2027-02-30]\nworkdays: [2027-02-10]\n',
    );
    // The default `open` fails the run if called: a bad file is refused before the store is opened.
    const r = await run(['calendar', 'load', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `错误 / error: ${file}: holidays[3]: 2027-02-30 不是有效日期（YYYY-MM-DD） / 2027-02-30 is not a date\n` +
        `${file}: workdays[0]: 2027-02-10 是星期三，调休上班日应为周六或周日 / ` +
        '2027-02-10 is a Wednesday; a working weekend day must be a Saturday or Sunday\n',
    );
    const weekday = await run([
      'calendar',
      'load',
      writeFile('weekday.json', '{"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-02-10"]}'),
    ]);
    expect(weekday.code).toBe(1);
    expect(weekday.stderr).toContain('weekday.json: workdays[0]: 2027-02-10 是星期三');
  });

  it('names unknown fields, a bad source, broken YAML and a missing file', async () => {
    const extra = await run([
      'calendar',
      'load',
      writeFile('extra.yaml', 'year: 2027\nholidays: [2027-01-01]\nworkdays: []\nnote: x\nsource: ""\n'),
    ]);
    expect(extra.code).toBe(1);
    expect(extra.stderr).toContain('extra.yaml: source: 应为非空文字 / must be non-empty text');
    expect(extra.stderr).toContain('extra.yaml: 未知字段 note');
    const broken = await run([
      'calendar',
      'load',
      writeFile('broken.yaml', 'year: 2027\nholidays: [2027-01-01\n'),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.yaml: YAML 格式错误 \/ invalid YAML/);
    const missing = await run(['calendar', 'load', path.join(tmp, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.yaml: 文件不存在 / file not found');
  });
});

describe('calendar show', () => {
  it('lists builtin, loaded and unpublished years up to the end of the plan', async () => {
    const store = await freshStore('show');
    try {
      await store.saveCalendarYear(
        { year: 2028, holidays: ['2028-01-03'], workdays: [] },
        '国办发明电〔2027〕1号',
      );
      const r = await run(['calendar', 'show'], { open: session(store, { sent: [] }) });
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('工作日历 / working-day calendar');
      expect(lines[1]).toBe('2004–2026  内置（chinese-days 1.5.7） / builtin');
      expect(lines[2]).toBe(`2027       ${NOT_PUBLISHED}`);
      expect(lines[3]).toMatch(/^2028 {7}已载入 \/ loaded: 国办发明电〔2027〕1号（\d{4}-\d{2}-\d{2}T.*Z）$/);
      expect(lines.slice(4)).toEqual([`2029       ${NOT_PUBLISHED}`, `2030       ${NOT_PUBLISHED}`]);

      const json = await run(['calendar', 'show', '--json'], { open: session(store, { sent: [] }) });
      const years = (JSON.parse(json.stdout) as { years: { year: number; status: string }[] }).years;
      expect(years.find((y) => y.year === 2017)?.status).toBe('builtin');
      expect(years.find((y) => y.year === 2028)).toMatchObject({
        status: 'loaded',
        source: '国办发明电〔2027〕1号',
      });
      expect(years.at(-1)).toEqual({ year: 2030, status: 'not-published' });
    } finally {
      await store.close();
    }
  });

  it("shows one year's days off and working weekends", async () => {
    const store = await freshStore('year');
    try {
      const open = session(store, { sent: [] });
      const r = await run(['calendar', 'show', '--year', '2017'], { open });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('2017 年 / 2017: 内置（chinese-days 1.5.7） / builtin');
      expect(r.stdout).toContain('  2017-01-01 – 2017-01-02（星期日–星期一，2 天 / days）');
      expect(r.stdout).toContain('  2017-01-27 – 2017-02-02（星期五–星期四，7 天 / days）');
      expect(r.stdout).toContain('  2017-01-22（星期日）');
      expect(r.stdout).toContain('  2017-02-04（星期六）');

      const unpublished = await run(['calendar', 'show', '--year', '2029', '--json'], { open });
      expect(JSON.parse(unpublished.stdout).detail).toEqual({ year: 2029, status: 'not-published' });
      const text = await run(['calendar', 'show', '--year', '2029'], { open });
      expect(text.stdout).toContain(`2029 年 / 2029: ${NOT_PUBLISHED}`);
      expect(text.stdout).toContain('duban calendar load FILE');

      const bad = await run(['calendar', 'show', '--year', '27'], { open });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('年份应为 2000–2100 / the year must be 2000–2100');
    } finally {
      await store.close();
    }
  });
});

describe('with the real session (no Temporal needed when no task is open)', () => {
  it('load creates the database; show reads it back; show without a database shows the builtin years', async () => {
    const env = { DUBAN_DATA_DIR: path.join(tmp, 'real'), TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const empty = await run(['calendar', 'show'], { env, open: undefined });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain(`2027       ${NOT_PUBLISHED}`);
    expect(fs.existsSync(path.join(tmp, 'real', 'duban.db'))).toBe(false);

    const load = await run(['calendar', 'load', EXAMPLE], { env, open: undefined });
    expect(load.stderr).toBe('');
    expect(load.code).toBe(0);
    expect(load.stdout).toContain('没有未办结的任务需要通知 / no open tasks to tell');

    const show = await run(['calendar', 'show'], { env, open: undefined });
    expect(show.stdout).toMatch(/\n2027 {7}已载入 \/ loaded: 示例，非官方安排/);
  });
});

describe('a calendar loaded while Temporal is down', () => {
  let duban: TimeSkippedDuban;
  beforeAll(async () => (duban = await startTimeSkippedDuban('cli-calendar-later')));
  afterAll(() => duban?.teardown());

  // A made-up 2029 calendar: the first week of July off.
  const TEST_2029 = {
    year: 2029,
    holidays: ['2029-07-02', '2029-07-03', '2029-07-04', '2029-07-05', '2029-07-06'],
    workdays: [],
    source: 'test calendar',
  };

  it('reaches the open tasks when Temporal is back, and they re-plan', async () => {
    const { env, store } = duban;
    const taskQueue = uniqueId('cal-later');
    const plan = uniqueId('plan');
    const worker = await duban.createWorker(taskQueue);
    const due = '2029-05-31';
    const interviewDay = addDays(due, 30);
    const weekdaysOnly = addWorkingDays(builtinCalendar(), interviewDay, 20);
    const published = addWorkingDays(mergeCalendars(builtinCalendar(), TEST_2029), interviewDay, 20);
    const file = writeFile('later-2029.json', JSON.stringify(TEST_2029));
    const facade = createDubanClient({ client: env.client, taskQueue, store });

    await worker.runUntil(async () => {
      const h = await env.client.workflow.start(taskWorkflow, {
        taskQueue,
        workflowId: `task/${plan}/later`,
        args: [
          {
            spec: {
              plan,
              id: 'later',
              title: '日历稍后送达',
              text: '',
              lead: ['区水务局'],
              cooperating: [],
              due,
            },
          },
        ],
      });
      await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: '区水务局' }] });
      await env.sleep(toMillis(atLocalHour(interviewDay, 9)) + 60_000 - (await env.currentTimeMs()));
      expect((await h.query(upcomingQuery))[0]).toMatchObject({ provisional: true });

      // Temporal is down for the command: the calendar is stored and the task not told yet.
      const r = await run(['calendar', 'load', file], {
        open: session(store, { sent: [] }, { temporal: false }),
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('the duban worker tells them to re-plan once Temporal is back');
      expect((await h.query(upcomingQuery))[0]).toMatchObject({ provisional: true });

      // The worker's check once Temporal answers again: the task hears of it and re-plans.
      const told = await tellTasksOfNewCalendar({ store, facade });
      expect(told?.signalled).toContain(`task/${plan}/later`);
      await env.sleep(1_000);
      expect((await h.query(upcomingQuery))[0]).toMatchObject({
        rung: { kind: 'accountability' },
        day: addDays(published.date, 1),
        provisional: false,
      });
      expect(weekdaysOnly.date).not.toBe(published.date);

      // Told once: the next check has nothing to tell.
      expect(await tellTasksOfNewCalendar({ store, facade })).toBeUndefined();
    });
  });
});
