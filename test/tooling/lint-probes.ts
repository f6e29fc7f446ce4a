import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.join(__dirname, '..', '..');

/**
 * Writes each probe file, lints them all in one ESLint process and removes them; resolves each file to its
 * messages (`rule: message`, one per line; '' when clean). ESLint runs as its own process (its config loader
 * needs dynamic import, which jest's VM lacks), on real files, since type-aware rules only see files the
 * TypeScript project includes.
 */
export function lintProbes(probes: Record<string, string>): Record<string, string> {
  const found: Record<string, string> = {};
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
  return found;
}
