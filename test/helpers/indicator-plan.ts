import { checkBreakdown, type Breakdown } from '../../importer';

/**
 * A small plan with one indicator of each kind: a share (%, ≥) for the whole district, a black-odorous share
 * (%, ≤) that 运河街道 answers for with 限批 of 涉水, a concentration per 镇街, and a river section's class.
 * Targets for `year` and the year after.
 */
export function indicatorPlan(plan: string, year: number): Breakdown {
  const t = (op: string, value: number, unit: string, y = year) => ({
    year: y,
    op,
    value,
    unit,
    text: `${y} 年 ${op} ${value}${unit}`,
  });
  const r = checkBreakdown({
    plan: { id: plan, title: '指标测试方案', regions: ['运河街道', '泥沟镇'] },
    tasks: [{ id: '1-1-1', title: '任务', lead: ['区环保局'], due: `${year + 1}-12-31` }],
    indicators: [
      {
        name: '水质优良比例',
        id: 'good-water',
        department: '区环保局',
        targets: [t('>=', 50, '%'), t('>=', 53, '%', year + 1)],
      },
      {
        name: '城区建成区黑臭水体',
        id: 'black-odorous',
        department: '区住建局',
        responsible: ['运河街道'],
        restriction: { sector: '涉水' },
        targets: [t('<=', 40, '%'), t('<=', 30, '%', year + 1)],
      },
      {
        name: '氨氮浓度',
        id: 'ammonia',
        department: '区环保局',
        regions: ['运河街道', '泥沟镇'],
        targets: [t('<=', 1.5, 'mg/L')],
      },
      {
        name: '小季河水质',
        id: 'xiaojihe',
        department: '区环保局',
        regions: ['小季河'],
        targets: [{ year, op: null, value: null, unit: null, text: '达到Ⅲ类', class: 'Ⅲ' }],
      },
      { name: '地下水水质级别', targets: [{ year, op: null, value: null, unit: null, text: '稳中趋好' }] },
    ],
  });
  if (!r.breakdown) throw new Error(JSON.stringify(r.issues));
  return r.breakdown;
}
