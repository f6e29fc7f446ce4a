/** The lint rules that keep workflow code deterministic really fire. */
import { lintProbes } from './lint-probes';

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
let found: Record<string, string> = {};

beforeAll(() => {
  found = lintProbes(probes);
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
