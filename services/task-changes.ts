import { findDepartment, type Directory } from '../directory/directory';
import type { CommandName } from '../domain';
import { BadInput } from './errors';

// A reassignment or a split names departments; one the directory does not know would never hear of its
// task while the ladder climbs to 追责. The workflow cannot read the directory, so the facade checks here,
// before the command is sent: refused naming the field, nothing recorded.

type Named = { lead?: unknown; cooperating?: unknown; subs?: unknown };

/** The payload with every department the directory knows by an alias under its own name, or BadInput. */
export function checkDepartments<T>(type: CommandName, payload: T, dir: Directory | undefined): T {
  if (!dir || (type !== 'reassign' && type !== 'splitTask')) return payload;
  const known = (field: string, names: unknown): unknown => {
    if (!Array.isArray(names)) return names;
    return names.map((raw, i) => {
      if (typeof raw !== 'string') return raw;
      const d = findDepartment(dir, raw.trim());
      if (d === undefined)
        throw new BadInput(
          `${field}[${i}]`,
          `${field}[${i}]: 未知单位 ${raw.trim()}，通讯录中没有 / ${field}[${i}]: unknown department ${raw.trim()}: not in the directory`,
        );
      return d;
    });
  };
  const named = (p: Named, prefix: string): Named => ({
    ...p,
    ...(p.lead !== undefined ? { lead: known(`${prefix}lead`, p.lead) } : {}),
    ...(p.cooperating !== undefined ? { cooperating: known(`${prefix}cooperating`, p.cooperating) } : {}),
  });
  const p = payload as Named;
  if (type === 'reassign') return named(p, '') as T;
  if (!Array.isArray(p.subs)) return payload;
  return {
    ...p,
    subs: p.subs.map((s: unknown, i) => (s && typeof s === 'object' ? named(s as Named, `subs[${i}].`) : s)),
  } as T;
}
