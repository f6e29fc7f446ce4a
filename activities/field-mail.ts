import { escapeHtml } from '../domain';
import { oneLine, type RenderedMail } from './mail-templates';

/**
 * A notice that is one sentence and a table of fields (the restriction's and the indicator's mails): the
 * same words as text and as escaped HTML, the sentence set off by a bar in `accent`.
 */
export function renderFieldMail(m: {
  headline: string;
  lead: string;
  fields: readonly (readonly [string, string])[];
  accent: string;
}): RenderedMail {
  const { headline, lead, fields, accent } = m;
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
<p style="border-left:4px solid ${accent};padding:10px 14px">${escapeHtml(lead)}</p>
<table style="border-collapse:collapse">
${rows}
</table>
<p style="color:#888;font-size:12px">${escapeHtml(footer)}</p>
</body></html>
`;
  return { subject: oneLine(`【督办】${headline}`), text, html };
}
