/** `node dist/bench/readme.js`: rewrites the README's bench block from the committed bench/results.json. */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness';
import { writeReadme, type Results } from './report';

const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as Results;
writeReadme(path.join(ROOT, 'README.md'), results).catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
