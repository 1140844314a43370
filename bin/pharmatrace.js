#!/usr/bin/env node
// `npx pharmatrace …`: the PharmaTrace command line, compiled into dist/ by `npm run build`
// (which `npm ci` and `npm start` run). Same commands as `npm run cli -- …`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  console.error('PharmaTrace is not built yet: run `npm run build` in the repository first (npm ci does it too).');
  process.exit(1);
}
require(main);
