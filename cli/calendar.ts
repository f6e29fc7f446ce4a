import { type Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { version as chineseDaysVersion } from 'chinese-days/package.json';
import { CalendarYearSchema, builtinCalendar, type CalendarYear } from '../domain/calendar';
import { addDays, ZONE } from '../domain';
import type { LoadedCalendarYear, Store } from '../store';
import { calendarVersion, markCalendarTold, openTaskIds, tellCalendarChanged } from '../services/calendar';
import type { CliContext, Session } from './session';
import { StoreMissing } from '../services/errors';
import { BadInput, TemporalUnavailable } from '../services/errors';
import type { SignalAllResult } from '../services/facade';
import { formatPath } from '../services/task-file';

/** The plan runs to 2030: `show` lists every year up to then, published or not. */
const PLAN_HORIZON = 2030;
const NOT_PUBLISHED =
  '未发布（按周一至周五计算，标记为暂定） / not published (weekdays only, marked provisional)';
const BUILTIN = `内置（chinese-days ${chineseDaysVersion}） / builtin`;
const WEEKDAY = ['', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];

const fileError = (file: string, lines: { path: string; message: string }[]) =>
  new BadInput('file', lines.map((l) => `${file}: ${l.path ? `${l.path}: ` : ''}${l.message}`).join('\n'));

function parseDocument(file: string, text: string): unknown {
  if (path.extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw fileError(file, [
        { path: '', message: `JSON 格式错误 / invalid JSON: ${(err as Error).message}` },
      ]);
    }
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0] ? ` (第 ${e.linePos[0].line} 行 / line ${e.linePos[0].line})` : '';
    throw fileError(file, [
      { path: '', message: `YAML 格式错误 / invalid YAML: ${e.message.split('\n')[0]}${line}` },
    ]);
  }
  return doc.toJS() as unknown;
}

/** A calendar file: `{year, holidays, workdays}` and an optional `source` (the notice it copies). */
export function readCalendarFile(file: string): { calendar: CalendarYear; source?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT' ? '文件不存在 / file not found' : `无法读取 / cannot read: ${(err as Error).message}`;
    throw fileError(file, [{ path: '', message }]);
  }
  if (text.trim() === '') throw fileError(file, [{ path: '', message: '文件为空 / the file is empty' }]);
  const doc = parseDocument(file, text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw fileError(file, [
      { path: '', message: '应为 {year, holidays, workdays} / expected {year, holidays, workdays}' },
    ]);
  const { source, ...rest } = doc as Record<string, unknown>;
  const issues: { path: string; message: string }[] = [];
  if (source !== undefined && (typeof source !== 'string' || source.trim() === ''))
    issues.push({ path: 'source', message: '应为非空文字 / must be non-empty text' });
  const r = CalendarYearSchema.safeParse(rest);
  if (!r.success)
    issues.push(...r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  if (issues.length > 0 || !r.success) throw fileError(file, issues);
  return { calendar: r.data, ...(typeof source === 'string' ? { source: source.trim() } : {}) };
}

async function storeOf(s: Session, create: boolean): Promise<Store> {
  if (!s.store) throw new Error('this session has no store');
  return s.store({ create });
}

/** Loaded years, or none when there is no database yet (nothing was ever loaded). */
async function loadedYears(s: Session): Promise<LoadedCalendarYear[]> {
  try {
    return await (await storeOf(s, false)).calendarYears();
  } catch (e) {
    if (e instanceof StoreMissing) return [];
    throw e;
  }
}

const weekday = (date: string) => WEEKDAY[DateTime.fromISO(date, { zone: ZONE }).weekday];

/** Consecutive days as one line: `2017-01-27 – 2017-02-02（星期五–星期四，7 天 / days）`. */
function dayRanges(dates: readonly string[]): string[] {
  const runs: string[][] = [];
  for (const d of [...dates].sort()) {
    const run = runs.at(-1);
    if (run && addDays(run[run.length - 1], 1) === d) run.push(d);
    else runs.push([d]);
  }
  return runs.map((r) =>
    r.length === 1
      ? `${r[0]}（${weekday(r[0])}）`
      : `${r[0]} – ${r[r.length - 1]}（${weekday(r[0])}–${weekday(r[r.length - 1])}，${r.length} 天 / days）`,
  );
}

function daysText(y: CalendarYear): string[] {
  return [
    `放假 ${y.holidays.length} 天 / days off: ${y.holidays.length}`,
    ...dayRanges(y.holidays).map((l) => `  ${l}`),
    `调休上班 ${y.workdays.length} 天 / working weekend days: ${y.workdays.length}`,
    ...[...y.workdays].sort().map((d) => `  ${d}（${weekday(d)}）`),
  ];
}

type YearStatus =
  | { year: number; status: 'builtin' }
  | { year: number; status: 'loaded'; source: string; loadedAt: string }
  | { year: number; status: 'not-published' };

function yearStatuses(loaded: LoadedCalendarYear[], today: string): YearStatus[] {
  const builtinYears = builtinCalendar().years;
  const byYear = new Map(loaded.map((l) => [l.year, l]));
  const last = Math.max(PLAN_HORIZON, Number(today.slice(0, 4)) + 1, ...byYear.keys());
  const out: YearStatus[] = [];
  for (let year = Math.min(builtinYears[0], ...byYear.keys()); year <= last; year++) {
    const l = byYear.get(year);
    if (l) out.push({ year, status: 'loaded', source: l.source, loadedAt: l.loadedAt });
    else if (builtinYears.includes(year)) out.push({ year, status: 'builtin' });
    else out.push({ year, status: 'not-published' });
  }
  return out;
}

function statusText(s: YearStatus): string {
  if (s.status === 'builtin') return BUILTIN;
  if (s.status === 'loaded') return `已载入 / loaded: ${s.source}（${s.loadedAt}）`;
  return NOT_PUBLISHED;
}

/** Runs of builtin years as one line; loaded and unpublished years one line each. */
function coverageText(statuses: YearStatus[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i];
    let j = i;
    if (s.status === 'builtin') while (statuses[j + 1]?.status === 'builtin') j++;
    const years = j > i ? `${s.year}–${statuses[j].year}` : String(s.year);
    lines.push(`${years.padEnd(9)}  ${statusText(s)}`);
    i = j;
  }
  return lines;
}

/** A year's days as the calendar holds them; undefined for a year nobody has published. */
function yearDays(year: number, status: YearStatus, loaded: LoadedCalendarYear[]): CalendarYear | undefined {
  if (status.status === 'loaded') return loaded.find((l) => l.year === year);
  if (status.status === 'not-published') return undefined;
  const b = builtinCalendar();
  const inYear = (d: string) => d.startsWith(`${year}-`);
  return { year, holidays: b.holidays.filter(inYear), workdays: b.workdays.filter(inYear) };
}

function parseYear(v: string): number {
  const y = Number(v);
  if (!/^\d{4}$/.test(v) || y < 2000 || y > 2100)
    throw new InvalidArgumentError('年份应为 2000–2100 / the year must be 2000–2100');
  return y;
}

/**
 * Tells every open task to re-read the calendar, and records that they heard of it; when Temporal is down,
 * undefined with a reason, and the worker tells them once it is back (services/calendar.ts watchCalendar).
 */
async function tellOpenTasks(
  s: Session,
  store: Store,
): Promise<{ open: number; result?: SignalAllResult; unreachable?: string }> {
  const version = await calendarVersion(store);
  const open = await openTaskIds(store);
  if (open.length === 0) {
    if (version) await markCalendarTold(store, version);
    return { open: 0, result: { signalled: [], closed: [] } };
  }
  try {
    await s.ensureTemporal();
    const result = await tellCalendarChanged(s.facade, open);
    if (version) await markCalendarTold(store, version);
    return { open: open.length, result };
  } catch (e) {
    if (e instanceof TemporalUnavailable) return { open: open.length, unreachable: e.message };
    throw e;
  }
}

/** `duban calendar …`: load a year's official calendar, show what is known. */
export function registerCalendarCommands(
  program: Command,
  { say, warn, today, getSession }: CliContext,
): void {
  const calendar = program
    .command('calendar')
    .description('工作日历：节假日与调休 / the working-day calendar: holidays and adjusted working days');

  calendar
    .command('load')
    .description(
      '载入某年的官方节假日安排（替换该年），并通知未办结任务重新计算期限 / ' +
        "load a year's official calendar (replacing that year) and tell open tasks to re-plan",
    )
    .argument('<file>', '日历文件（YAML 或 JSON），见 examples/calendar-2027.yaml / calendar file')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { calendar: year, source } = readCalendarFile(file);
      const s = await getSession();
      const store = await storeOf(s, true);
      const before = (await store.calendarYears()).some((l) => l.year === year.year);
      const saved = await store.saveCalendarYear(year, source ?? path.resolve(file));
      const told = await tellOpenTasks(s, store);
      if (opts.json) {
        say(
          JSON.stringify(
            {
              ...saved,
              openTasks: told.open,
              signalled: told.result?.signalled.length ?? null,
              closed: told.result?.closed.length ?? null,
              temporal: told.unreachable ? 'unreachable' : 'ok',
            },
            null,
            2,
          ),
        );
      } else {
        const replaced = before
          ? '，替换此前载入的版本 / replacing the one loaded before'
          : builtinCalendar().years.includes(year.year)
            ? '，替换内置数据 / replacing the builtin data'
            : '';
        say(`已载入 ${saved.year} 年工作日历${replaced} / loaded the ${saved.year} calendar`);
        say(`来源 / source: ${saved.source}`);
        for (const line of daysText(saved)) say(line);
        if (told.open === 0) say('没有未办结的任务需要通知 / no open tasks to tell');
        else if (told.result)
          say(
            `已通知 ${told.result.signalled.length} 项未办结任务重新计算期限` +
              (told.result.closed.length ? `（${told.result.closed.length} 项已结束）` : '') +
              ` / told ${told.result.signalled.length} open task(s) to re-plan` +
              (told.result.closed.length ? ` (${told.result.closed.length} had already closed)` : ''),
          );
      }
      if (told.unreachable)
        warn(
          `日历已保存，但无法连接 Temporal（${s.address}），${told.open} 项任务尚未收到通知：Temporal 恢复后，` +
            'duban 的 worker 会通知它们重新计算期限（启动时及此后每分钟检查一次）；duban 运行后再次执行本命令可立即通知 / ' +
            `the calendar is stored, but Temporal at ${s.address} is not reachable, so ${told.open} task(s) were ` +
            'not told yet: the duban worker tells them to re-plan once Temporal is back (it checks when it starts ' +
            'and every minute after); run this command again once duban is running to tell them now',
        );
    });

  calendar
    .command('show')
    .description(
      '查看哪些年份有官方日历，及某年的放假和调休上班日 / show which years are known, and one year',
    )
    .option('--year <year>', '查看这一年的放假和调休上班日 / show this year’s days', parseYear)
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (opts: { year?: number; json?: boolean }) => {
      const loaded = await loadedYears(await getSession());
      const statuses = yearStatuses(loaded, today);
      if (opts.year === undefined) {
        if (opts.json) say(JSON.stringify({ years: statuses }, null, 2));
        else for (const line of ['工作日历 / working-day calendar', ...coverageText(statuses)]) say(line);
        return;
      }
      const y = opts.year;
      const status = statuses.find((s) => s.year === y) ?? { year: y, status: 'not-published' as const };
      const days = yearDays(y, status, loaded);
      if (opts.json) {
        const detail = { ...status, ...(days ? { holidays: days.holidays, workdays: days.workdays } : {}) };
        say(JSON.stringify({ years: statuses, detail }, null, 2));
        return;
      }
      say(`${y} 年 / ${y}: ${statusText(status)}`);
      if (days) for (const line of daysText(days)) say(line);
      else
        say(
          '载入官方安排 / to load the official schedule: duban calendar load FILE（示例 / example: examples/calendar-2027.yaml）',
        );
    });
}
