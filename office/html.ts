import { escapeHtml as esc } from '../domain';
import type { DocBlock, OfficeDocument } from './document';

// The third rendering of a document, beside docx and pdf: the same words as HTML, for a page to hold or
// to be saved as a file of its own.

function block(b: DocBlock): string {
  if (b.kind === 'heading') return `<h2>${esc(b.text)}</h2>`;
  if (b.kind === 'paragraph') return `<p>${esc(b.text)}</p>`;
  if (b.kind === 'list') return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
  const t = b.table;
  const numeric = new Set(t.numeric ?? []);
  const cell = (tag: 'td' | 'th', text: string, c: number) =>
    `<${tag}${numeric.has(c) ? ' class="num"' : ''}>${esc(text)}</${tag}>`;
  return (
    `<table><caption>${esc(t.caption)}</caption>` +
    `<thead><tr>${t.header.map((h, c) => cell('th', h, c)).join('')}</tr></thead>` +
    `<tbody>${t.rows.map((r) => `<tr>${r.map((x, c) => cell('td', x, c)).join('')}</tr>`).join('\n')}</tbody></table>`
  );
}

/** The document as an `<article>`: title, subtitle, blocks, signature. */
export function renderHtmlFragment(d: OfficeDocument): string {
  return [
    '<article class="office-doc">',
    `<h1>${esc(d.title)}</h1>`,
    ...d.subtitle.map((s) => `<p class="subtitle">${esc(s)}</p>`),
    ...d.blocks.map(block),
    `<p class="signature">${d.signature.map(esc).join('<br>')}</p>`,
    '</article>',
  ].join('\n');
}

const STYLE =
  'body{font-family:"Noto Sans SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}' +
  'h1,.subtitle{text-align:center}.signature{text-align:right}table{border-collapse:collapse;margin:.5rem 0 1rem}' +
  'caption{font-size:.9em}th,td{border:1px solid #888;padding:.2rem .4rem}.num{text-align:right}';

/** A file of its own: opens in any browser, no script, no outside resource. */
export function renderHtml(d: OfficeDocument): Buffer {
  return Buffer.from(
    `<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(d.title)}</title>` +
      `<style>${STYLE}</style></head><body>\n${renderHtmlFragment(d)}\n</body></html>\n`,
    'utf8',
  );
}
