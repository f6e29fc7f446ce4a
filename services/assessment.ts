import { assess, type Assessment, type UnitAssessment } from '../domain/assessment';
import { planScope } from '../domain/agreement';
import { AssessmentPolicy } from '../domain/policy';
import { assessmentDocument } from '../office/assessment';
import { renderPdf } from '../office/pdf';
import type { Store } from '../store';
import { BadInput } from './errors';
import { loadPlanRecords, type PlanRecords, type PlanRecordStore } from './plan-records';

// 考核 for every interface: the ranking of a plan's 镇街 and departments for a year, and one unit's report.

export type AssessmentStore = PlanRecordStore & Pick<Store, 'listRestrictions' | 'listAccountability'>;

/** The plan's years, or the field that is wrong. */
export function checkPlanYear(records: PlanRecords, year: number): void {
  const { years } = planScope(records);
  if (!years)
    throw new BadInput(
      'plan',
      `plan：方案 ${records.plan} 没有任务 / plan: plan ${records.plan} has no tasks`,
    );
  if (!Number.isInteger(year) || year < years[0] || year > years[1])
    throw new BadInput(
      'year',
      `year：方案 ${records.plan} 的年度为 ${years[0]}–${years[1]}，没有 ${year} 年 / year: plan ${records.plan} runs ${years[0]}–${years[1]}; ${year} is out of range`,
    );
}

/** The plan's weights: its policy's `assessment` block, as every task of it carries the plan's policy. */
function policyOf(records: PlanRecords): AssessmentPolicy {
  const set = records.tasks.find((t) => t.policy?.assessment)?.policy?.assessment;
  return AssessmentPolicy.parse(set ?? {});
}

/**
 * The 考核 of `plan` for `year`, every 镇街 and department ranked (score, then name); open tasks are judged
 * as of `today` (YYYY-MM-DD). What the dashboard, the API, the CLI and the yearly public report all show.
 */
export async function assessmentRanking(
  store: AssessmentStore,
  plan: string,
  year: number,
  today: string,
): Promise<Assessment> {
  const records = await loadPlanRecords(store, plan);
  checkPlanYear(records, year);
  const [restrictions, accountability] = await Promise.all([
    store.listRestrictions(),
    store.listAccountability(),
  ]);
  return assess({
    plan,
    year,
    today,
    tasks: records.tasks,
    indicators: records.indicators,
    values: records.values,
    restrictions,
    accountability,
    policy: policyOf(records),
  });
}

export interface AssessmentService {
  run(plan: string, year: number, today: string): Promise<Assessment>;
  /** One unit's line of the ranking; an unassessed unit is named as the wrong field. */
  unit(
    plan: string,
    year: number,
    unit: string,
    today: string,
  ): Promise<{ assessment: Assessment; unit: UnitAssessment }>;
  /** One unit's report, printable. */
  unitPdf(plan: string, year: number, unit: string, today: string): Promise<Buffer>;
}

export function createAssessmentService(deps: { store: AssessmentStore }): AssessmentService {
  const unit: AssessmentService['unit'] = async (plan, year, name, today) => {
    const assessment = await assessmentRanking(deps.store, plan, year, today);
    const u = assessment.ranking.find((r) => r.unit === name);
    if (!u)
      throw new BadInput(
        'unit',
        `unit：${year} 年度考核没有单位“${name}” / unit: the ${year} assessment of ${plan} has no unit “${name}”`,
      );
    return { assessment, unit: u };
  };
  return {
    run: (plan, year, today) => assessmentRanking(deps.store, plan, year, today),
    unit,
    async unitPdf(plan, year, name, today) {
      const r = await unit(plan, year, name, today);
      return renderPdf(assessmentDocument(r.assessment, r.unit));
    },
  };
}
