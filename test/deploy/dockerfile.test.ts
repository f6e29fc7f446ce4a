/**
 * Docker cannot run here, so the image is checked by what it is made of: the build stage compiles from exactly
 * the files it copies, and the runtime stage carries every folder the compiled code reads from the project.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');

interface Stage {
  name: string;
  /** `COPY src… dest` from the build context. */
  copies: { from: string[]; to: string }[];
  /** Where `COPY --from=stage src dest` puts what an earlier stage made. */
  built: string[];
}

function stages(text: string): Stage[] {
  const out: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) out.push({ name: from[1] ?? `stage${out.length}`, copies: [], built: [] });
    const built = /^COPY\s+--from=\S+\s+.*\s(\S+)$/i.exec(line);
    if (built && out.length > 0) out[out.length - 1].built.push(built[1].replace(/\/$/, ''));
    const copy = /^COPY\s+(?!--from)(.+)$/i.exec(line);
    if (copy && out.length > 0) {
      const parts = copy[1].split(/\s+/);
      out[out.length - 1].copies.push({ from: parts.slice(0, -1), to: parts[parts.length - 1] });
    }
  }
  return out;
}

const [build, runtime] = stages(dockerfile);

test('the Dockerfile has a build stage and a runtime stage', () => {
  expect(build.name).toBe('build');
  expect(runtime).toBeDefined();
});

test('the build stage compiles from exactly the files it copies', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-image-'));
  try {
    for (const { from, to } of build.copies)
      for (const src of from) {
        const dest =
          to.endsWith('/') || from.length > 1 ? path.join(tmp, to, path.basename(src)) : path.join(tmp, to);
        fs.cpSync(path.join(root, src), dest, { recursive: true });
      }
    // `npm ci` in the image installs these; a link to ours stands in for it.
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'));
    const tsc = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: tmp,
        encoding: 'utf8',
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'dist', 'app', 'worker-main.js'))).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'dist', 'app', 'http-main.js'))).toBe(true);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('the runtime stage carries every folder the code reads at run time', () => {
  const copied = new Set([...runtime.copies.flatMap((c) => c.from), ...runtime.built]);
  // Only `npm start`'s embedded servers read scripts/; the image runs against a Temporal server of its own.
  const devOnly = new Set(['scripts']);
  const read = new Set<string>();
  for (const dir of ['config', 'servers', 'services', 'web', 'http', 'cli', 'worker', 'activities', 'app'])
    for (const f of fs.readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.ts')))
      for (const m of fs
        .readFileSync(path.join(root, dir, f), 'utf8')
        .matchAll(/projectRoot\(\),\s*'([^']+)'/g))
        if (!devOnly.has(m[1])) read.add(m[1]);
  expect(read.size).toBeGreaterThan(0);
  expect([...read].filter((d) => !copied.has(d))).toEqual([]);
});
