import { forbiddenChar, nameProblem } from './text';

/** A polluting enterprise (排污企业) under 红黄牌 management. */
export interface Enterprise {
  /** 统一社会信用代码 (GB 32100-2015), 18 characters, upper case. */
  code: string;
  name: string;
  /** The 镇街 it is in, by the directory's name. */
  region: string;
  sector: string;
}

export interface EnterpriseRecord extends Enterprise {
  registeredAt: string;
  registeredBy: string;
}

/** What was wrong with one field of an enterprise, in words a person can act on. */
export interface FieldProblem {
  field: keyof Enterprise;
  message: string;
}

// GB 32100-2015: the code's characters (I, O, Z, S and V are never used) and the weights of the first 17.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character the first 17 characters of a credit code call for. */
export function creditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why `raw` is not a valid 统一社会信用代码 (undefined: it is). */
export function creditCodeProblem(raw: string): string | undefined {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18)
    return `统一社会信用代码应为 18 位（现为 ${code.length} 位） / the credit code must be 18 characters (it has ${code.length})`;
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined)
    return `统一社会信用代码含有不允许的字符“${bad}” / the credit code contains “${bad}”, which GB 32100-2015 does not use`;
  if (creditCheckChar(code) !== code[17])
    return `统一社会信用代码校验位不符（应为 ${creditCheckChar(code)}） / the credit code's check character is wrong (expected ${creditCheckChar(code)})`;
  return undefined;
}

export const normalizeCreditCode = (raw: string): string => raw.trim().toUpperCase();

const MAX_TEXT = 100;

function textProblem(value: unknown, field: keyof Enterprise, zh: string): FieldProblem | undefined {
  if (typeof value !== 'string' || value.trim() === '')
    return { field, message: `${field}：请填写${zh} / ${field} is required` };
  if (value.trim().length > MAX_TEXT)
    return {
      field,
      message: `${field}：${zh}过长（最多 ${MAX_TEXT} 字） / ${field} is too long (max ${MAX_TEXT})`,
    };
  const c = forbiddenChar(value);
  if (c) return { field, message: `${field}：${zh}含有控制字符 / ${field} contains a control character` };
  return undefined;
}

/**
 * An enterprise as entered, checked field by field: `regionOf` says which 镇街 a name stands for (the
 * directory's name for it), or undefined when it is not one.
 */
export function checkEnterprise(
  input: { code?: unknown; name?: unknown; region?: unknown; sector?: unknown },
  regionOf: (name: string) => string | undefined,
): { ok: true; enterprise: Enterprise } | { ok: false; problem: FieldProblem } {
  const missing =
    textProblem(input.code, 'code', '统一社会信用代码') ??
    textProblem(input.name, 'name', '企业名称') ??
    textProblem(input.region, 'region', '所在镇街') ??
    textProblem(input.sector, 'sector', '行业');
  if (missing) return { ok: false, problem: missing };
  const code = normalizeCreditCode(input.code as string);
  const codeBad = creditCodeProblem(code);
  if (codeBad) return { ok: false, problem: { field: 'code', message: `code：${codeBad}` } };
  const regionName = (input.region as string).trim();
  const nameBad = nameProblem(regionName);
  const region = nameBad ? undefined : regionOf(regionName);
  if (region === undefined)
    return {
      ok: false,
      problem: {
        field: 'region',
        message: `region：“${regionName}”不是通讯录中的镇街 / region: “${regionName}” is not a 镇街 of the directory`,
      },
    };
  return {
    ok: true,
    enterprise: {
      code,
      name: (input.name as string).trim(),
      region,
      sector: (input.sector as string).trim(),
    },
  };
}

/** The ledger chain that holds an enterprise's every step: registration, inspections, cards. */
export const enterpriseChainId = (code: string): string => `enterprise/${normalizeCreditCode(code)}`;
