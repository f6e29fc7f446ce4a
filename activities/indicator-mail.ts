import { actualText, targetText, type YearMiss } from '../domain/indicators';
import { renderFieldMail } from './field-mail';
import type { RenderedMail } from './mail-templates';

export type IndicatorNoticeKind = 'interview' | 'unreported';

const where = (m: YearMiss) => (m.region ? `（${m.region}）` : '');

/** The 约谈 of a missed year, or the department's reminder of a value never reported: Chinese, escaped. */
export function renderIndicatorNotice(kind: IndicatorNoticeKind, m: YearMiss): RenderedMail {
  const headline =
    kind === 'interview'
      ? `约谈通知：${m.year} 年度指标“${m.name}”${where(m)}未达标`
      : `指标未报送：${m.year} 年度“${m.name}”${where(m)}没有监测数据`;
  const lead =
    kind === 'interview'
      ? `${m.year} 年度已结束，指标“${m.name}”${where(m)}目标为 ${targetText(m.op, m.target, m.unit)}，实际为 ${actualText(m.actual, m.unit)}，未完成年度目标。依照方案，约谈${m.regions.length > 0 ? ` ${m.regions.join('、')} ` : ''}及 ${m.department} 有关负责人，提出整改意见；约谈时间、地点另行通知。${m.restriction ? `并对 ${m.regions.join('、')} 实施 ${m.restriction.sector} 建设项目限批。` : ''}`
      : `${m.year} 年度已结束，指标“${m.name}”${where(m)}（目标 ${targetText(m.op, m.target, m.unit)}）没有录入监测数据。请 ${m.department} 尽快报送。`;
  const fields: [string, string][] = [
    ['指标', `${m.name}（${m.indicator}）`],
    ['年度', String(m.year)],
    ...(m.region ? [['区域', m.region] as [string, string]] : []),
    ['目标', targetText(m.op, m.target, m.unit)],
    ['实际', actualText(m.actual, m.unit)],
    ['监测单位', m.department],
    ...(m.regions.length > 0 ? [['责任镇街', m.regions.join('、')] as [string, string]] : []),
  ];
  return renderFieldMail({ headline, lead, fields, accent: '#c62828' });
}
