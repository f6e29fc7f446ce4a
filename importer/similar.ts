/** Edit distance over characters (not UTF-16 units: 区环宝局 -> 区环保局 is one edit). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

/**
 * The candidate `input` was most likely meant to be: one with the same key (another spelling of the same
 * department), else the nearest within about a third of the name's length.
 */
export function didYouMean(
  input: string,
  candidates: Iterable<string>,
  key: (s: string) => string = (s) => s,
): string | undefined {
  const list = [...new Set(candidates)];
  const same = list.find((c) => key(c) === key(input));
  if (same) return same;
  let best: { c: string; d: number } | undefined;
  for (const c of list) {
    const d = editDistance(input, c);
    if (!best || d < best.d) best = { c, d };
  }
  const limit = Math.max(1, Math.floor([...input].length / 3));
  return best && best.d <= limit ? best.c : undefined;
}
