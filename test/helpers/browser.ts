/**
 * Headless Chromium for the browser tests, from npm alone: @sparticuz/chromium ships the binary and
 * @embedpdf/fonts-sc a CJK font (Noto Sans SC), so a fresh machine with only Node needs no system browser
 * and no system fonts. Nothing here reads the machine's own chromium or fontconfig.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

const run = promisify(execFile);

// This network is closed: nothing may try to phone home, and there is no GPU.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function packageDir(name: string): string {
  // Both packages' `exports` hide package.json, and nested ones mark module kinds: walk up to the package's.
  let dir = path.dirname(require.resolve(name));
  const nameAt = (d: string) =>
    fs.existsSync(path.join(d, 'package.json')) &&
    (JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: string }).name;
  while (nameAt(dir) !== name) {
    if (path.dirname(dir) === dir) throw new Error(`no package.json of ${name}`);
    dir = path.dirname(dir);
  }
  return dir;
}

/**
 * The unpacked binary, cached per version under the temp dir. @sparticuz/chromium unpacks into
 * os.tmpdir() and trusts any existing `chromium` there, even half-written or of another version, so it
 * runs in a child whose TMPDIR is a private staging dir that is renamed into place only when complete.
 */
async function executable(): Promise<{ binary: string; dir: string }> {
  const pkg = packageDir('@sparticuz/chromium');
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as {
    version: string;
  };
  const dir = path.join(os.tmpdir(), `duban-chromium-${version}`);
  const binary = path.join(dir, 'chromium');
  if (fs.existsSync(binary)) return { binary, dir };
  const staging = fs.mkdtempSync(`${dir}.partial-`);
  try {
    const script = `require(${JSON.stringify(require.resolve('@sparticuz/chromium'))}).executablePath().then((p) => process.stdout.write(p))`;
    const { stdout } = await run(process.execPath, ['-e', script], {
      env: { ...process.env, TMPDIR: staging },
    });
    if (stdout !== path.join(staging, 'chromium')) throw new Error(`chromium unpacked to ${stdout}`);
    try {
      fs.renameSync(staging, dir);
    } catch (err) {
      // Another run unpacked the same version first: use its copy.
      if (!fs.existsSync(binary)) throw err;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { binary, dir };
}

/** A fontconfig of the packaged fonts only: Open Sans from @sparticuz/chromium, Noto Sans SC for Chinese. */
function fontconfig(chromiumDir: string, into: string): string {
  const file = path.join(into, 'fonts.conf');
  const dirs = [
    path.join(packageDir('@embedpdf/fonts-sc'), 'fonts'),
    path.join(chromiumDir, 'fonts', 'fonts'),
  ];
  fs.writeFileSync(
    file,
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      ...dirs.map((d) => `  <dir>${d}</dir>`),
      `  <cachedir>${path.join(into, 'fontconfig-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  return file;
}

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches the packaged Chromium. playwright gives every launch a fresh temporary profile
 * (--user-data-dir) of its own and refuses one in `args`, so each run starts clean.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const { binary, dir } = await executable();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-browser-fonts-'));
  const browser = await chromium.launch({
    executablePath: binary,
    args: ARGS,
    env: { ...process.env, FONTCONFIG_FILE: fontconfig(dir, scratch), FONTCONFIG_PATH: scratch },
  });
  return {
    browser,
    async close() {
      await browser.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * A page signed in through /signin's own form with `token`, in a browser context of its own (Chinese
 * locale, `base` as its base URL); it has landed on the overview.
 */
export async function signedInPage(
  browser: Browser,
  base: string,
  token: string,
  options: Pick<BrowserContextOptions, 'viewport'> = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.fill('input[name=token]', token);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/'),
    page.click('form[data-form=signin] button'),
  ]);
  return { context, page };
}
