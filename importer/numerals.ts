const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** `十二` -> 12, `二十` -> 20, `一〇` / `二〇一六` (digit by digit, as in dates) -> 10 / 2016, `7` -> 7. */
export function chineseNumber(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (t === '') return undefined;
  if (!t.includes('十') && !t.includes('百')) {
    let n = 0;
    for (const ch of t) {
      const d = DIGITS[ch];
      if (d === undefined) return undefined;
      n = n * 10 + d;
    }
    return n;
  }
  const m = /^(?:(.)百)?(?:(.)?十)?(.)?$/.exec(t);
  if (!m) return undefined;
  const val = (c: string | undefined, dflt: number) => (c === undefined ? dflt : DIGITS[c]);
  const hundreds = m[1] === undefined ? 0 : val(m[1], 0);
  const tens = t.includes('十') ? val(m[2], 1) : 0;
  const ones = m[3] === undefined ? 0 : val(m[3], 0);
  if ([hundreds, tens, ones].some((x) => x === undefined)) return undefined;
  return hundreds * 100 + tens * 10 + ones;
}
