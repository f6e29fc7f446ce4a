import { creditCheckChar } from '../../domain/enterprise';

let n = 0;
/** A valid 统一社会信用代码, different on each call (and in each process). */
export function creditCode(): string {
  n += 1;
  const body = `9137040${String(process.pid % 10_000).padStart(4, '0')}${String(n).padStart(6, '0')}`;
  return body + creditCheckChar(body);
}
