const len = (s: string) => [...s].length;
const cut = (s: string, n: number) => [...s].slice(0, n).join('');

/** A deadline that opens a sentence (`2017 年底前，`) is not what the task is about. */
const LEADING_DEADLINE = /^(?:[自从到至于在]?\s*\d{4}\s*年[^，,。]{0,8}?)\s*[，,]\s*/;

/**
 * A task's title, from its text: a short topic sentence (`依法淘汰落后产能。`) where there is one, else
 * the opening phrase (`全面排查…小型工业企业，`), else the first sentence, shortened. For the first task under a heading (`1.加强工业污染防治。`), the heading, with the
 * opening phrase when that is short (`加强工业污染防治：严格环境准入`).
 */
export function titleOf(text: string, heading?: string): string {
  const t = text.replace(LEADING_DEADLINE, '');
  const sentence = (/^[^。；;！!？?]*/.exec(t)?.[0] ?? '').trim();
  const phrase = (/^[^，,：:。；;！!？?]*/.exec(t)?.[0] ?? '').trim();
  // `对…的` is a condition and `以…为重点` an adverbial: neither names the work.
  const phraseOk =
    len(phrase) >= 4 && !phrase.endsWith('的') && !/^(以|对|在|按照|根据|结合|围绕|通过)/.test(phrase);
  if (heading) {
    // A topic sentence under a heading is short and plain; one with a date or number is already the work.
    // …and other sentences follow it; a lone short sentence is the work itself, the heading names it.
    const more = t.slice(sentence.length).replace(/^[。；;！!？?\s]+/, '') !== '';
    if (sentence && more && len(sentence) <= 16 && !/\d/.test(sentence)) return sentence;
    if (phraseOk && len(phrase) <= 12 && !/\d/.test(phrase)) return `${heading}：${phrase}`;
    return heading;
  }
  if (sentence && len(sentence) <= 24) return sentence;
  if (phraseOk && len(phrase) <= 24) return phrase;
  if (sentence && len(sentence) <= 40) return sentence;
  const base = sentence || t;
  return len(base) > 30 ? `${cut(base, 30)}…` : base || '（无标题）';
}
