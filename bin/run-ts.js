#!/usr/bin/env node
// Runs a TypeScript entry point through tsx, so the repository works without a build step.
require('tsx/cjs');
const path = require('node:path');
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts.js <file.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...rest];
require(path.resolve(entry));
