import fs from 'node:fs';
import path from 'node:path';
import { taskSpecSchema } from '../../domain/task-spec';
import { importPlan, toTaskSpecs } from '../../importer';
import { PLAN_FILE, REGIONS } from './taierzhuang-table';

const text = fs.readFileSync(path.join(__dirname, '..', '..', PLAN_FILE), 'utf8');
const plan = importPlan(text, { id: 'taierzhuang-2016-water', regions: REGIONS });
const specs = toTaskSpecs(plan);

describe('milestones from the plan text', () => {
  it('a task with several dated phrases carries one milestone per date, the last its due date', () => {
    const t = specs.find((s) => s.id === '2-3-6')!;
    const parsed = taskSpecSchema().parse(t);
    expect(parsed.milestones?.map((m) => m.due)).toEqual(
      [
        ...new Set(
          plan.tasks
            .find((x) => x.id === '2-3-6')!
            .deadlines.filter((d) => d.kind !== 'from')
            .map((d) => d.date),
        ),
      ].sort(),
    );
    expect(parsed.milestones!.at(-1)!.due).toBe(parsed.due);
    expect(parsed.milestones!.length).toBeGreaterThan(1);
    for (const m of parsed.milestones!) expect(m.title.length).toBeGreaterThan(0);
  });

  it('every task the importer gives milestones is a valid task spec; a single deadline gives none', () => {
    const withMilestones = specs.filter((s) => s.milestones);
    expect(withMilestones.length).toBeGreaterThan(0);
    for (const s of specs) expect(taskSpecSchema().safeParse(s).success).toBe(true);
    const single = plan.tasks.find((t) => t.dueRule === 'deadline')!;
    expect(specs.find((s) => s.id === single.id)!.milestones).toBeUndefined();
  });

  it('the title is the sentence that names the date', () => {
    const t = specs.find((s) => s.id === '2-1-10')!;
    expect(t.milestones).toBeDefined();
    for (const m of t.milestones!) expect(m.title).toMatch(new RegExp(m.due.slice(0, 4)));
  });
});
