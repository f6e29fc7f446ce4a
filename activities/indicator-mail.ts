import { escapeHtml } from '../domain';
import { actualText, targetText, type YearMiss } from '../domain/indicators';
import { oneLine, type RenderedMail } from './mail-templates';

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
  const footer = '本邮件由督办系统自动发送，请勿直接回复。';
  const text = [lead, '', ...fields.map(([k, v]) => `${k}：${v}`), '', '——', footer, ''].join('\n');
  const rows = fields
    .map(
      ([k, v]) =>
        `<tr><th style="text-align:left;padding:4px 12px 4px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(headline)}</title></head>
<body style="font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;color:#222">
<p style="border-left:4px solid #c62828;padding:10px 14px">${escapeHtml(lead)}</p>
<table style="border-collapse:collapse">
${rows}
</table>
<p style="color:#888;font-size:12px">${escapeHtml(footer)}</p>
</body></html>
`;
  return { subject: oneLine(`【督办】${headline}`), text, html };
}
