#!/usr/bin/env node
'use strict';
// The `duban` command: runs the compiled CLI (npm run build compiles cli/ to dist/).
let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]cli[\\/]main\.js/.test(String(err.message))) {
    process.stderr.write(
      'duban 尚未编译，请先运行 npm run build / duban is not built yet: run `npm run build` first\n',
    );
    process.exit(1);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`出错了 / failed: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
