/**
 * Scores the importer against the corpus of real documents in test/fixtures/documents: each document's
 * golden breakdown, written by reading the text, names the units and lead of every responsibility clause.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importPlan, type Breakdown } from '../../importer';

export const DOCS = path.join(__dirname, '..', 'fixtures', 'documents');

export interface GoldenClause {
  line: number;
  clause: string;
  lead: string[];
  cooperating: string[];
}

export interface Golden {
  unseen: boolean;
  conventions: string[];
  planYear?: number;
  /** Lines whose bracketed responsibility words are not a task's clause: they must carry a warning. */
  reviewLines?: number[];
  clauses: GoldenClause[];
}

export interface Score {
  name: string;
  unseen: boolean;
  clauses: number;
  units: number;
  lead: number;
  misses: string[];
  ms: number;
  breakdown: Breakdown;
}

const norm = (s: string) => s.replace(/\(/g, '（').replace(/\)/g, '）').replace(/\s+/g, '');
const same = (a: string[], b: string[]) => {
  const x = [...new Set(a.map(norm))].sort();
  const y = [...new Set(b.map(norm))].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

export const documents = () =>
  fs
    .readdirSync(DOCS)
    .filter((f) => f.endsWith('.golden.json'))
    .map((f) => f.replace(/\.golden\.json$/, ''))
    .sort();

export const golden = (name: string): Golden =>
  JSON.parse(fs.readFileSync(path.join(DOCS, `${name}.golden.json`), 'utf8')) as Golden;

/** Pairs golden clauses with tasks by clause line (and order within the line); counts the exact ones. */
export function score(name: string): Score {
  const g = golden(name);
  const text = fs.readFileSync(path.join(DOCS, `${name}.txt`), 'utf8');
  const t0 = performance.now();
  const b = importPlan(text, { id: name, today: '2030-06-01' });
  const ms = performance.now() - t0;
  const byLine = new Map<number, Breakdown['tasks']>();
  for (const t of b.tasks) byLine.set(t.source!.clauseLine, [...(byLine.get(t.source!.clauseLine) ?? []), t]);
  const seen = new Map<number, number>();
  let units = 0;
  let lead = 0;
  const misses: string[] = [];
  for (const c of g.clauses) {
    const i = seen.get(c.line) ?? 0;
    seen.set(c.line, i + 1);
    const t = byLine.get(c.line)?.[i];
    const got = t ? { lead: t.lead, cooperating: t.cooperating } : { lead: [], cooperating: [] };
    const u = same([...got.lead, ...got.cooperating], [...c.lead, ...c.cooperating]);
    const l = same(got.lead, c.lead);
    if (u) units++;
    if (l) lead++;
    if (!u || !l)
      misses.push(
        `line ${c.line}: expected ${JSON.stringify(c)} got ${JSON.stringify(got)}${t ? '' : ' (no task)'}`,
      );
  }
  return { name, unseen: g.unseen, clauses: g.clauses.length, units, lead, misses, ms, breakdown: b };
}

export const table = (scores: Score[]) =>
  [
    'document                          seen   clauses  units-exact  lead-exact   ms',
    ...scores.map(
      (s) =>
        `${s.name.padEnd(34)}${(s.unseen ? 'unseen' : 'seen').padEnd(7)}${String(s.clauses).padStart(7)}` +
        `${String(s.units).padStart(13)}${String(s.lead).padStart(12)}${s.ms.toFixed(1).padStart(7)}`,
    ),
  ].join('\n');
