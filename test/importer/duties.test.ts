/**
 * The Taierzhuang plan's recurring duties as `plan start` starts them: the dated ones with their period,
 * their start year and the plan's end; the bare 定期 ones left for review, never given a period.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DutySpec, firstPeriod, occurrenceSpec, taskSpecSchema } from '../../domain';
import { importPlan, planEndOf, toDuties } from '../../importer';
import { REGIONS } from './taierzhuang-table';

const ROOT = path.join(__dirname, '..', '..');
const text = fs.readFileSync(path.join(ROOT, 'plans/taierzhuang-2016-water-pollution-plan.txt'), 'utf8');
const plan = importPlan(text, { id: 'taierzhuang-2016-water', regions: REGIONS });
const { duties, review } = toDuties(plan, '2026-12-01');

test('the plan ends with its last working year, 2020', () => {
  expect(planEndOf(plan)).toBe('2020-12-31');
});

test('the dated duties start with their own year and period, with the task’s departments', () => {
  expect(
    duties.map((d) => ({ id: d.id, every: d.every, from: d.from, until: d.until, lead: d.lead })),
  ).toEqual([
    {
      id: '2-3-6',
      every: 'quarter',
      from: '2018-01-01',
      until: '2020-12-31',
      lead: ['区环保局', '区住建局', '区水务局', '区卫计局'],
    },
    // 每年 with no 自…起: from the plan's issue date, so the first period is the first whole year after it.
    { id: '3-1-2', every: 'year', from: '2016-11-22', until: '2020-12-31', lead: ['区委组织部'] },
    { id: '3-4-3', every: 'year', from: '2016-01-01', until: '2020-12-31', lead: ['区环保局'] },
  ]);
  const quarterly = DutySpec.parse(duties[0]);
  expect(quarterly.title).toBe(
    '强化从水源到水龙头全过程监管：自2018年起，每季度要向社会公开饮水安全状况信息',
  );
  expect(quarterly.cooperating).toEqual(['区发改局', '区财政局']);
  expect(firstPeriod('quarter', quarterly.from).label).toBe('2018Q1');
  expect(firstPeriod('year', DutySpec.parse(duties[1]).from).label).toBe('2017');
  expect(firstPeriod('year', DutySpec.parse(duties[2]).from).label).toBe('2016');
});

test('each occurrence is a task the task workflow takes', () => {
  const quarterly = DutySpec.parse(duties[0]);
  const occ = occurrenceSpec(quarterly, firstPeriod('quarter', quarterly.from), '2018-04-16');
  expect(taskSpecSchema().parse(occ)).toMatchObject({
    id: '2-3-6.2018Q1',
    title: '强化从水源到水龙头全过程监管：自2018年起，每季度要向社会公开饮水安全状况信息（2018年第1季度）',
    due: '2018-04-16',
  });
});

test('a bare 定期 is left for review with no period, one per region where the task fans out', () => {
  expect(review.map((r) => [r.id, r.region ?? null, r.text])).toEqual([
    ['2-1-6', null, '定期'],
    ['2-3-8', null, '定期'],
    ['3-1-6', null, '定期'],
    ...REGIONS.map((r) => ['3-4-4', r, '定期']),
    ['3-4-5', null, '定期'],
    ['3-4-7', null, '自2016年起，定期'],
  ]);
});

test('a duty the supervisor gives a period in the breakdown is started', () => {
  const edited = structuredClone(plan);
  const t = edited.tasks.find((x) => x.id === '3-4-7')!;
  t.recurrence = { ...t.recurrence!, every: 'half-year', assumed: false };
  const after = toDuties(edited, '2026-12-01');
  expect(after.duties.find((d) => d.id === '3-4-7')).toMatchObject({
    every: 'half-year',
    from: '2016-01-01',
  });
  expect(after.review.map((r) => r.id)).not.toContain('3-4-7');
});
