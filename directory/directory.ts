import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { forbiddenChar, isIsoDate, missingOr as orMissing, nameProblem, type Audience } from '../domain';

// The directory is the operator's file and its messages stay English, as the config's do.
const missingOr = (otherwise: string) => orMissing(otherwise, 'required');
const name = z
  .string({ error: missingOr('must be text') })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'too long (max 100)')
  .superRefine((s, ctx) => {
    const bad = forbiddenChar(s);
    if (bad) ctx.addIssue({ code: 'custom', message: `contains a control or bidi character (${bad})` });
  });
/** A department's or region's name or alias: the domain's one name rule (it ends up in workflow ids). */
const unit = z.string({ error: missingOr('must be text') }).superRefine((s, ctx) => {
  const p = nameProblem(s);
  if (p) ctx.addIssue({ code: 'custom', message: p.en });
});
const email = z.email({ error: missingOr('invalid email') });
/** A group robot's webhook (企业微信 or 钉钉) or mail; a recipient without `channels` is mailed. */
const Channel = z.discriminatedUnion('type', [
  z.object({ type: z.literal('mail') }).strict(),
  z
    .object({
      type: z.enum(['wecom', 'dingtalk']),
      url: z.url({ protocol: /^https?$/, error: missingOr('must be an http(s) URL') }),
      format: z.enum(['markdown', 'text']).default('markdown'),
    })
    .strict(),
]);
export type Channel = z.infer<typeof Channel>;
export type WebhookChannel = Exclude<Channel, { type: 'mail' }>;
const channels = z.array(Channel).min(1).optional();
const Person = z.object({ name, email, channels }).strict();
const Official = z.object({ name, post: name, email, channels }).strict();
const Department = z
  .object({
    email,
    aliases: z.array(unit).default([]),
    head: Official.optional(),
    channels,
    /** 镇街 or 责任单位; without it, told by the name (镇, 乡, 街道, 开发区, 园区, 新区 are regions). */
    kind: z.enum(['department', 'region']).optional(),
    /** Its people (经办人) a token may name; the head and the approver may be named too. */
    staff: z.array(z.object({ name, email: email.optional() }).strict()).optional(),
    /**
     * In-department approval: a 经办人's completion goes to the 分管领导 (`approver`, else the head) before
     * the supervisors see it. Set by `approval: true` or by naming the approver.
     */
    approval: z.boolean().optional(),
    approver: name.optional(),
  })
  .strict();
const day = z.string({ error: missingOr('must be a date') }).refine(isIsoDate, 'must be a date YYYY-MM-DD');
/** A post held from `from` to `to` (both days inclusive; no `to`: still held). */
const PostHeld = z.object({ post: name, department: name, from: day, to: day.optional() }).strict();
/** A person and the posts they have held: 追责 follows the person, so the directory keeps who held what when. */
const PersonHistory = z.object({ name, email: email.optional(), posts: z.array(PostHeld).min(1) }).strict();

/** Who can be written to: the supervisors (督查室), leadership (区领导) and each department or region. */
export const Directory = z
  .object({
    supervisors: z.array(Person).default([]),
    leadership: z.array(Official).default([]),
    departments: z.record(unit, Department).default({}),
    people: z.array(PersonHistory).default([]),
  })
  .strict()
  .superRefine((dir, ctx) => {
    checkPostHistory(dir, ctx);
    for (const [dept, d] of Object.entries(dir.departments))
      if (d.approval === true && !d.approver && !d.head)
        ctx.addIssue({
          code: 'custom',
          path: ['departments', dept, 'approval'],
          message: 'approval needs an approver (分管领导) or a head to approve',
        });
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

function checkPostHistory(
  dir: Pick<Directory, 'departments' | 'people'>,
  ctx: { addIssue(i: { code: 'custom'; path: PropertyKey[]; message: string }): void },
): void {
  const terms = new Map<string, { from: string; to?: string; who: string }[]>();
  dir.people.forEach((p, i) =>
    p.posts.forEach((held, j) => {
      const at = ['people', i, 'posts', j];
      // A post outside the directory is allowed: people move on to other bodies, and their records follow.
      const d = findDepartment(dir, held.department);
      if (held.to !== undefined && held.to < held.from)
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'to'],
          message: `ends before it starts (${held.from})`,
        });
      if (d === undefined || held.post !== dir.departments[d].head?.post) return;
      // Two heads at once would make "who was responsible on that day" ambiguous.
      const key = `${d}\n${held.post}`;
      const other = (terms.get(key) ?? []).find(
        (t) => held.from <= (t.to ?? '9999-12-31') && t.from <= (held.to ?? '9999-12-31'),
      );
      if (other)
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'from'],
          message: `${d}${held.post} overlaps with ${other.who} (from ${other.from})`,
        });
      terms.set(key, [...(terms.get(key) ?? []), { from: held.from, to: held.to, who: p.name }]);
    }),
  );
}

export interface Recipient {
  name: string;
  email: string;
  /** How this recipient prefers to hear; absent: mail. */
  channels?: Channel[];
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
    // A bad department name is a record key: zod says only "invalid key", the rule's words are inside.
    const why = (i: z.core.$ZodIssue) =>
      i.code === 'invalid_key' ? (i.issues[0]?.message ?? i.message) : i.message;
    const lines = parsed.error.issues.map((i) => `  ${where(i.path)}: ${why(i)}`);
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
export function findDepartment(dir: Pick<Directory, 'departments'>, nameOrAlias: string): string | undefined {
  if (Object.hasOwn(dir.departments, nameOrAlias)) return nameOrAlias;
  return Object.entries(dir.departments).find(([, d]) => d.aliases.includes(nameOrAlias))?.[0];
}

/** Who approves a department's completions in the department (分管领导); none: they go straight on. */
export function approverOf(dir: Pick<Directory, 'departments'>, department: string): string | undefined {
  const d = dir.departments[findDepartment(dir, department) ?? ''];
  if (!d || d.approval === false) return undefined;
  return d.approver ?? (d.approval ? d.head?.name : undefined);
}

/** The people a token of the department may name: its staff, its approver and its head. */
export function peopleOf(dir: Pick<Directory, 'departments'>, department: string): string[] {
  const d = dir.departments[findDepartment(dir, department) ?? ''];
  if (!d) return [];
  const names = [...(d.staff ?? []).map((s) => s.name), d.approver, d.head?.name];
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

const REGION_NAME = /(镇|乡|街道|开发区|园区|新区)$/;

/** Whether a directory name stands for a 镇街 or a 责任单位; undefined when the directory has no such name. */
export function unitKind(
  dir: Pick<Directory, 'departments'>,
  nameOrAlias: string,
): 'department' | 'region' | undefined {
  const d = findDepartment(dir, nameOrAlias);
  if (d === undefined) return undefined;
  return dir.departments[d].kind ?? (REGION_NAME.test(d) ? 'region' : 'department');
}

/** Everyone an audience reaches, each address once (first mention wins). Unknown departments reach nobody. */
export function resolveAudience(dir: Directory, audience: Audience[]): Recipient[] {
  const out = new Map<string, Recipient>();
  const add = (r: Recipient) => {
    const k = r.email.toLowerCase();
    if (!out.has(k))
      out.set(k, { name: r.name, email: r.email, ...(r.channels ? { channels: r.channels } : {}) });
  };
  for (const a of audience) {
    if ('department' in a) {
      const d = findDepartment(dir, a.department);
      if (d !== undefined) add({ name: d, ...dir.departments[d] });
    } else if ('head' in a) {
      const d = findDepartment(dir, a.head);
      const head = d === undefined ? undefined : dir.departments[d].head;
      if (head) add({ ...head, name: `${head.name}（${d}${head.post}）` });
    } else if (a.role === 'supervisors') dir.supervisors.forEach(add);
    else dir.leadership.forEach(add);
  }
  return [...out.values()];
}

/** The departments of an audience the directory has no address for. */
export function unknownDepartments(dir: Directory, audience: Audience[]): string[] {
  return audience.flatMap((a) => {
    const named = 'department' in a ? a.department : 'head' in a ? a.head : undefined;
    return named !== undefined && findDepartment(dir, named) === undefined ? [named] : [];
  });
}

/** A person in a post on some day: what an accountability record names. */
export interface PostHolder {
  name: string;
  post: string;
  /** The department's directory name (not an alias). */
  department: string;
  email?: string;
}

/**
 * Who held the head post (the post `departments.X.head` names) of a department or region on `onDate`
 * (YYYY-MM-DD): from the people's post history when it covers that day, else the head the directory
 * lists now. Undefined for an unknown department or one without a head.
 */
export function headOf(dir: Directory, department: string, onDate: string): PostHolder | undefined {
  const d = findDepartment(dir, department);
  const head = d === undefined ? undefined : dir.departments[d].head;
  if (d === undefined || head === undefined) return undefined;
  let holder: { name: string; email?: string; from: string } | undefined;
  for (const p of dir.people)
    for (const held of p.posts)
      if (
        held.post === head.post &&
        findDepartment(dir, held.department) === d &&
        held.from <= onDate &&
        (held.to === undefined || onDate <= held.to) &&
        (holder === undefined || held.from > holder.from)
      )
        holder = { name: p.name, email: p.email, from: held.from };
  if (!holder) return { name: head.name, post: head.post, department: d, email: head.email };
  return { name: holder.name, post: head.post, department: d, email: holder.email ?? head.email };
}

/** The posts a person has held, earliest first (empty when the directory keeps no history for them). */
export function postsOf(
  dir: Directory,
  person: string,
): { post: string; department: string; from: string; to?: string }[] {
  return dir.people
    .filter((p) => p.name === person.trim())
    .flatMap((p) => p.posts)
    .sort((a, b) => a.from.localeCompare(b.from));
}
