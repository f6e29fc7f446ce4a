/** The lint rules that keep workflow code deterministic really fire. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

const probes: Record<string, string> = {
  'workflows/probe-builtin.tmp.ts': "import fs from 'node:fs';\nexport const x = fs;\n",
  'workflows/probe-activity.tmp.ts':
    "import { createMailer } from '../activities/mailer';\nexport const x = createMailer;\n",
  'workflows/probe-store.tmp.ts': "import { openStore } from '../store';\nexport const x = openStore;\n",
  'workflows/probe-mail.tmp.ts': "import nodemailer from 'nodemailer';\nexport const x = nodemailer;\n",
  'workflows/probe-type-only.tmp.ts':
    "import type { createActivities } from '../activities';\nexport type A = typeof createActivities;\n",
  'domain/probe-floating.tmp.ts':
    'export async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n',
};
const found: Record<string, string> = {};

// ESLint runs as its own process (its config loader needs dynamic import, which jest's VM lacks), once,
// on real files, since type-aware rules only see files the TypeScript project includes.
beforeAll(() => {
  for (const [file, code] of Object.entries(probes)) fs.writeFileSync(path.join(root, file), code);
  try {
    const eslint = path.join(root, 'node_modules', '.bin', 'eslint');
    const r = spawnSync(eslint, ['--format', 'json', ...Object.keys(probes)], {
      cwd: root,
      encoding: 'utf8',
    });
    for (const res of JSON.parse(r.stdout) as {
      filePath: string;
      messages: { ruleId: string; message: string }[];
    }[]) {
      found[path.relative(root, res.filePath)] = res.messages
        .map((m) => `${m.ruleId}: ${m.message}`)
        .join('\n');
    }
  } finally {
    for (const file of Object.keys(probes)) fs.rmSync(path.join(root, file), { force: true });
  }
});

test.each([
  ['workflows/probe-builtin.tmp.ts', 'no node builtins in workflow code'],
  ['workflows/probe-activity.tmp.ts', 'import activities with `import type` only'],
  ['workflows/probe-store.tmp.ts', 'workflows never import store/'],
  ['workflows/probe-mail.tmp.ts', 'mail is an activity'],
  ['domain/probe-floating.tmp.ts', '@typescript-eslint/no-floating-promises'],
])('%s is refused: %s', (file, why) => {
  expect(found[file]).toContain(why);
});

test('type-only imports of activities are allowed in workflows/', () => {
  expect(found['workflows/probe-type-only.tmp.ts']).toBe('');
});
