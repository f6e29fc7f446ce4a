import fs from 'node:fs';
import path from 'node:path';

/** The project folder, whether running from app/ (ts) or dist/app/ (compiled). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}
