/**
 * The README's bench table is generated from the committed bench/results.json: after a bench run or an
 * edit to either, they must still say the same (`node dist/bench/readme.js` rewrites the block).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readmeWith, TARGETS, type Results } from '../../bench/report';

const ROOT = path.join(__dirname, '..', '..');
const readme = path.join(ROOT, 'README.md');
const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as Results;

test('the README’s bench block is the one bench/results.json makes', () => {
  const text = fs.readFileSync(readme, 'utf8');
  // Formatted by prettier's own command, as `writeReadme` formats it (prettier is ESM-only under jest).
  const made = execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'prettier'),
    ['--stdin-filepath', readme],
    {
      input: readmeWith(readme, text, results),
      encoding: 'utf8',
    },
  );
  expect(made).toBe(text);
});

test('bench/results.json is a full run with one number for every goal', () => {
  expect(results.quick).toBe(false);
  expect(Object.keys(results.goals).sort()).toEqual(Object.keys(TARGETS).sort());
  for (const v of Object.values(results.goals)) expect(Number.isFinite(v)).toBe(true);
});
