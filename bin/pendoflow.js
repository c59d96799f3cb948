#!/usr/bin/env node
// TypeScript runs through tsx, so the repository works without a build step.
require('tsx/cjs');
const sub = process.argv[2];
// The emulators and the demo are never imported by src/, so the bin routes to them directly.
if (sub === 'emulator' || sub === 'emulators') {
  require('../emulators/main.ts');
} else if (sub === 'demo') {
  require('../scripts/demo/main.ts');
} else {
  require('../src/client/main.ts');
}
