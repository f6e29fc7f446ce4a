import { ROLE_ZH, type AgreementContent } from '../domain/agreement';
import type { Assessment, UnitAssessment } from '../domain/assessment';
import { dayOf } from '../domain';
import type { DocBlock, OfficeDocument } from './document';

// The 目标责任书 and a unit's 考核 report as documents (rendered to PDF by office/pdf.ts).

const KIND_ZH = { region: '镇街', department: '责任单位' } as const;

const section = (heading: string, none: string, table: DocBlock | undefined): DocBlock[] => [
  { kind: 'heading', text: heading },
  table ?? { kind: 'paragraph', text: none },
];

export interface SignedAgreement {
  agreement: AgreementContent;
  hash: string;
  signed: { by: string; at: string; hash: string } | null;
  current: boolean;
}

export function agreementDocument(v: SignedAgreement): OfficeDocument {
  const a = v.agreement;
  const where = (r?: string) => (r ? `（${r}）` : '');
  const blocks: DocBlock[] = [
    {
      kind: 'paragraph',
      text: `为落实《${a.plan}》，${a.unit}（${KIND_ZH[a.kind]}）承担 ${a.year} 年度以下目标任务，按期完成，接受年度考核。`,
    },
    ...section(
      '一、年度任务',
      '本年度无到期任务。',
      a.tasks.length
        ? {
            kind: 'table',
            table: {
              caption: '年度任务',
              header: ['编号', '任务', '职责', '完成时限'],
              rows: a.tasks.map((t) => [`${t.taskId}${where(t.region)}`, t.title, ROLE_ZH[t.role], t.due]),
            },
          }
        : undefined,
    ),
    ...section(
      '二、阶段性节点',
      '本年度无节点。',
      a.milestones.length
        ? {
            kind: 'table',
            table: {
              caption: '节点',
              header: ['编号', '任务', '节点', '时限'],
              rows: a.milestones.map((m) => [`${m.taskId}${where(m.region)}`, m.task, m.title, m.due]),
            },
          }
        : undefined,
    ),
    ...section(
      '三、定期任务',
      '本年度无定期任务。',
      a.duties.length
        ? {
            kind: 'table',
            table: {
              caption: '定期任务',
              header: ['编号', '任务', '职责', '周期'],
              rows: a.duties.map((d) => [
                `${d.dutyId}${where(d.region)}`,
                d.title,
                ROLE_ZH[d.role],
                d.period,
              ]),
            },
          }
        : undefined,
    ),
    ...section(
      '四、指标目标',
      '本年度无指标目标。',
      a.indicators.length
        ? {
            kind: 'table',
            table: {
              caption: '指标目标',
              header: ['指标', '区域', '年度目标', '职责'],
              rows: a.indicators.map((i) => [i.name, i.region ?? '全区', i.target, ROLE_ZH[i.role]]),
            },
          }
        : undefined,
    ),
    { kind: 'heading', text: '五、签订' },
    {
      kind: 'paragraph',
      text: v.signed
        ? `${v.signed.by} 已于 ${dayOf(v.signed.at)} 签订（内容摘要 ${v.signed.hash.slice(0, 16)}）。${
            v.current ? '' : `签订后内容已有变更，现内容摘要 ${v.hash.slice(0, 16)}，须重新签订。`
          }`
        : `尚未签订（内容摘要 ${v.hash.slice(0, 16)}）。`,
    },
  ];
  return {
    title: '目标责任书',
    subtitle: [`${a.year} 年度`, `《${a.plan}》`, a.unit],
    blocks,
    signature: [`责任单位：${a.unit}`, v.signed ? `签订日期：${dayOf(v.signed.at)}` : '签订日期：'],
  };
}

const points = (n: number | null) => (n === null ? '不适用' : n.toFixed(2));

export function assessmentDocument(a: Assessment, u: UnitAssessment): OfficeDocument {
  const c = u.counts;
  return {
    title: '年度考核结果',
    subtitle: [`${a.year} 年度`, `《${a.plan}》`, u.unit],
    blocks: [
      {
        kind: 'paragraph',
        text: `${u.unit}（${KIND_ZH[u.kind]}）${a.year} 年度考核得分 ${u.score.toFixed(2)} 分，在 ${a.ranking.length} 个单位中排名第 ${u.rank}。（截至 ${a.asOf}）`,
      },
      {
        kind: 'table',
        table: {
          caption: '得分构成',
          header: ['项目', '依据', '得分'],
          rows: [
            [
              '按期办结',
              `到期 ${c.due} 项，按期 ${c.onTime} 项，逾期 ${c.late} 项，未到期 ${c.pending} 项`,
              points(u.parts.onTime),
            ],
            ['指标完成', `年度目标 ${c.targets} 项，达标 ${c.met} 项`, points(u.parts.indicators)],
            [
              '问责扣分',
              `约谈 ${c.interviews} 次，限批 ${c.restrictions} 次，追责 ${c.accountability} 次`,
              u.parts.escalations.toFixed(2),
            ],
            ['合计', '', u.score.toFixed(2)],
          ],
          numeric: [2],
        },
      },
      {
        kind: 'paragraph',
        text: `权重：按期办结 ${a.policy.weights.onTime}，指标完成 ${a.policy.weights.indicators}（单位无其中一项的，以另一项计满分）；每次约谈扣 ${a.policy.deductions.interview} 分，限批扣 ${a.policy.deductions.restriction} 分，追责扣 ${a.policy.deductions.accountability} 分。`,
      },
    ],
    signature: ['区委区政府督查室', a.asOf],
  };
}
