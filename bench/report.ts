/**
 * The bench's results as data (bench/results.json) and as the README's table: one printer for the
 * terminal and the README, so the two cannot disagree. `node dist/bench/readme.js` rewrites the README's
 * block from the committed results.json; a full `npm run bench` does it itself.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  goal?: string;
  met?: boolean;
  note?: string;
}

/** One number per goal, under the names the README's bench section gives them. */
export interface Goals {
  lifecycleRatio?: number;
  eventsPerLifecycle?: number;
  escalationP99Ratio?: number;
  openTasks?: number;
  workerPeakRssMiB?: number;
  startRateRatio?: number;
  timedOutWorkflowTasks?: number;
}

export interface Results {
  date: string;
  quick: boolean;
  seconds: number;
  /** Wall-clock seconds of each section. */
  sectionSeconds?: Record<string, number>;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; os: string; node: string };
  sizes: Record<string, number>;
  goals: Goals;
  figures: Figure[];
}

/** Each goal's target and what it means. */
export const TARGETS: Record<keyof Goals, { op: '≥' | '≤' | '='; target: number; what: string }> = {
  lifecycleRatio: { op: '≥', target: 0.7, what: 'lifecycles/s, duban ÷ bare workflow with the same updates' },
  eventsPerLifecycle: { op: '≤', target: 40, what: 'history events of a clean lifecycle' },
  escalationP99Ratio: {
    op: '≤',
    target: 1.5,
    what: 'due-to-mail p99 of up to 1,000 tasks due in one second ÷ as many bare timers’ wake p99',
  },
  openTasks: { op: '≥', target: 10_000, what: 'open tasks reached in the scale section' },
  workerPeakRssMiB: { op: '≤', target: 512, what: 'worker RSS, peak over the whole run (MiB)' },
  startRateRatio: {
    op: '≥',
    target: 0.8,
    what: 'tasks started and assigned per second ÷ bare workflows started with a timer',
  },
  timedOutWorkflowTasks: {
    op: '=',
    target: 0,
    what: 'WorkflowTaskTimedOut events in the escalation and scale histories',
  },
};

export function met(key: keyof Goals, v: number | undefined): boolean | undefined {
  if (v === undefined || Number.isNaN(v)) return undefined;
  const { op, target } = TARGETS[key];
  return op === '≥' ? v >= target : op === '≤' ? v <= target : v === target;
}

export const fmt = (v: number) =>
  Number.isInteger(v)
    ? v.toLocaleString('en-US')
    : v >= 100
      ? v.toFixed(0)
      : v >= 10
        ? v.toFixed(1)
        : v.toFixed(2);

const row = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;

/** Every figure, one line each. */
export function figureTable(figures: readonly Figure[]): string {
  const head = ['section', 'figure', 'duban', 'baseline (same run)', 'ratio', 'goal'];
  const rows = figures.map((f) => [
    f.section,
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.baseline ? `${fmt(f.baseline.value)} (${f.baseline.name})` : '',
    f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '',
    f.goal ? `${f.goal}: ${f.met ? 'met' : '**missed**'}` : '',
  ]);
  return [head, head.map(() => '---'), ...rows].map(row).join('\n');
}

/** The goals block: each number against its target, and by how much it is missed. */
export function goalTable(goals: Goals): string {
  const head = ['goal', 'measured', 'target', '', 'what'];
  const rows = (Object.keys(TARGETS) as (keyof Goals)[]).map((k) => {
    const v = goals[k];
    const { op, target, what } = TARGETS[k];
    const m = met(k, v);
    const by =
      v === undefined || m
        ? ''
        : op === '=' || target === 0
          ? ` (${fmt(v)} over)`
          : op === '≥'
            ? ` (${((1 - v / target) * 100).toFixed(0)} % short)`
            : ` (${((v / target - 1) * 100).toFixed(0)} % over)`;
    const shown = v === undefined ? 'not measured' : k.endsWith('Ratio') ? `${v.toFixed(2)}×` : fmt(v);
    return [
      `\`${k}\``,
      shown,
      `${op} ${fmt(target)}`,
      m === undefined ? '' : m ? 'met' : `**missed**${by}`,
      what,
    ];
  });
  return [head, head.map(() => '---'), ...rows].map(row).join('\n');
}

/** The README's block: the run, the goals, every figure, and the figures' notes. */
export function readmeBlock(r: Results): string {
  const m = r.machine;
  return [
    `${r.quick ? 'Quick run (--quick sizes, not the goals’ sizes)' : 'Full run'}, ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.seconds} s, on ${m.cpus} × ${m.cpuModel}, ` +
      `${m.memoryGiB} GiB, ${m.os}, Node ${m.node} (\`bench/results.json\`)` +
      (r.sectionSeconds
        ? `; seconds by section: ${Object.entries(r.sectionSeconds)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : '') +
      ':',
    '',
    goalTable(r.goals),
    '',
    figureTable(r.figures),
    '',
    ...r.figures.filter((f) => f.note).map((f) => `- ${f.section}, ${f.name}: ${f.note}`),
  ].join('\n');
}

const BEGIN = '<!-- bench:begin (generated from bench/results.json by `node dist/bench/readme.js`) -->';
const END = '<!-- bench:end -->';

/** The README's text with its generated block made `r`'s (before prettier formats it). */
export function readmeWith(readme: string, text: string, r: Results): string {
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path.basename(readme)} has no ${BEGIN} … ${END} block`);
  return `${text.slice(0, a)}${BEGIN}\n\n${readmeBlock(r)}\n\n${text.slice(b)}`;
}

/** Replaces the README's generated block with `r`'s, formatted as prettier formats the README. */
export async function writeReadme(readme: string, r: Results): Promise<void> {
  const next = readmeWith(readme, fs.readFileSync(readme, 'utf8'), r);
  // prettier is a development dependency, as the bench is; the README must pass `prettier --check`.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(readme)) ?? {};
  fs.writeFileSync(readme, await prettier.format(next, { ...options, filepath: readme }));
}
