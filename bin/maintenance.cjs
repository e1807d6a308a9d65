#!/usr/bin/env node
'use strict';
// Runs the TypeScript source through tsx, so `npx maintenance` works straight after `npm install`
// with no build step. Only this process is hooked; nothing is registered globally.
require('tsx/cjs/api').register();
require('../src/cli/main.ts');
