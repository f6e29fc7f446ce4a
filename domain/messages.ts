import type { z } from 'zod';

// zod's own issues said Chinese first, for every schema that reads what people write (task files, plan
// breakdowns, calendars, the API's bodies). A message a schema gives itself always wins over these.

export const MISSING = '缺少必填字段 / required field is missing';

const TYPE_ZH: Record<string, string> = {
  string: '文字',
  number: '数字',
  array: '列表',
  object: '对象',
  boolean: '是/否',
};

/** For a field's own `error`: `missing` when it is absent, `otherwise` when it is there but wrong. */
export const missingOr =
  (otherwise: string, missing = MISSING) =>
  (iss: { input?: unknown }): string =>
    iss.input === undefined ? missing : otherwise;

/** The bilingual error map: pass as `safeParse(x, { error: bilingual })`. */
export const bilingual: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === 'invalid_type') {
    if (iss.input === undefined) return MISSING;
    return `类型错误，应为${TYPE_ZH[iss.expected] ?? iss.expected} / expected ${iss.expected}`;
  }
  const amount = iss.code === 'too_big' || iss.code === 'too_small' ? iss.origin === 'number' : false;
  if (iss.code === 'too_big' && typeof iss.maximum !== 'bigint') {
    return amount
      ? `过大（最多 ${iss.maximum}） / too large (max ${iss.maximum})`
      : `过长（最多 ${iss.maximum}） / too long (max ${iss.maximum})`;
  }
  if (iss.code === 'too_small' && typeof iss.minimum !== 'bigint') {
    return amount
      ? `过小（至少 ${iss.minimum}） / too small (min ${iss.minimum})`
      : `过短（至少 ${iss.minimum}） / too short (min ${iss.minimum})`;
  }
  if (iss.code === 'invalid_value') return `取值应为 / must be one of: ${iss.values.map(String).join(', ')}`;
  return undefined;
};

/** `must be one of` for an enum field, in both languages. */
export const oneOf = (zh: string, en: string, values: readonly string[]): string =>
  `${zh}应为 / ${en} must be one of ${values.join(', ')}`;
