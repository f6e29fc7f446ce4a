import type { Bulletin } from '../domain/bulletin';
import { escapeHtml, type RenderedMail } from '../domain';
import { bulletinSummary } from './bulletin-document';

/** The mail that carries a 督查通报: its opening figures and who is named; the file is attached. */
export function renderBulletinMail(b: Bulletin, fileName: string): RenderedMail {
  const subject = `【督办】督查通报（${b.period.label}）：《${b.title}》`;
  const named =
    b.worst.length > 0
      ? `通报批评：${b.worst.map((w) => `${w.unit}（${w.why}）`).join('；')}。`
      : '本期没有需通报批评的单位。';
  const foot = `全文见附件 ${fileName} / the bulletin is attached.`;
  const lines = [bulletinSummary(b), named, foot];
  return {
    subject,
    text: `${lines.join('\n\n')}\n`,
    html: `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px">
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
</body></html>
`,
  };
}
