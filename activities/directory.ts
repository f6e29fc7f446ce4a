import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import type { Audience } from '../domain';

const missingOr = (otherwise: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? 'required' : otherwise;
const name = z
  .string({ error: missingOr('must be text') })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'too long (max 100)');
const email = z.email({ error: missingOr('invalid email') });
const Person = z.object({ name, email }).strict();
const Official = z.object({ name, post: name, email }).strict();
const Department = z
  .object({ email, aliases: z.array(name).default([]), head: Official.optional() })
  .strict();

/** Who can be written to: the supervisors (督查室), leadership (区领导) and each department or region. */
export const Directory = z
  .object({
    supervisors: z.array(Person).default([]),
    leadership: z.array(Official).default([]),
    departments: z.record(name, Department).default({}),
  })
  .strict()
  .superRefine((dir, ctx) => {
    // An alias that names two departments would send one department's mail to the other.
    const owner = new Map<string, string>(Object.keys(dir.departments).map((d) => [d, d]));
    for (const [dept, { aliases }] of Object.entries(dir.departments)) {
      aliases.forEach((alias, i) => {
        const other = owner.get(alias);
        if (other !== undefined && other !== dept)
          ctx.addIssue({
            code: 'custom',
            path: ['departments', dept, 'aliases', i],
            message: `"${alias}" already names ${other}`,
          });
        else owner.set(alias, dept);
      });
    }
  });
export type Directory = z.infer<typeof Directory>;

export interface Recipient {
  name: string;
  email: string;
}

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

/** Parses directory YAML; `source` names it in errors (a file path, usually). */
export function parseDirectory(text: string, source: string): Directory {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0)
    throw new DirectoryError(
      `${source}: not valid YAML:\n${doc.errors.map((e) => `  ${e.message.trim()}`).join('\n')}`,
    );
  const parsed = Directory.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const where = (p: PropertyKey[]) =>
      p.map((k) => (k === '' ? '""' : String(k))).join('.') || '(top level)';
    const lines = parsed.error.issues.map((i) => `  ${where(i.path)}: ${i.message}`);
    throw new DirectoryError(`${source}: invalid directory:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function loadDirectory(file: string): Directory {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DirectoryError(`${file}: cannot read the directory (${code ?? String(err)})`, { cause: err });
  }
  return parseDirectory(text, file);
}

/** The department a name or alias stands for, by its directory name. */
export function findDepartment(dir: Directory, nameOrAlias: string): string | undefined {
  if (Object.hasOwn(dir.departments, nameOrAlias)) return nameOrAlias;
  return Object.entries(dir.departments).find(([, d]) => d.aliases.includes(nameOrAlias))?.[0];
}

/** Everyone an audience reaches, each address once (first mention wins). Unknown departments reach nobody. */
export function resolveAudience(dir: Directory, audience: Audience[]): Recipient[] {
  const out = new Map<string, Recipient>();
  const add = (r: Recipient) => {
    const k = r.email.toLowerCase();
    if (!out.has(k)) out.set(k, { name: r.name, email: r.email });
  };
  for (const a of audience) {
    if ('department' in a) {
      const d = findDepartment(dir, a.department);
      if (d !== undefined) add({ name: d, email: dir.departments[d].email });
    } else if (a.role === 'supervisors') dir.supervisors.forEach(add);
    else dir.leadership.forEach(add);
  }
  return [...out.values()];
}

/** The departments of an audience the directory has no address for. */
export function unknownDepartments(dir: Directory, audience: Audience[]): string[] {
  return audience.flatMap((a) =>
    'department' in a && findDepartment(dir, a.department) === undefined ? [a.department] : [],
  );
}
