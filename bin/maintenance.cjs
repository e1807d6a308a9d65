#!/usr/bin/env node
'use strict';
// Runs the CLI from its bundle, which `npm install` and `npm ci` build (the `prepare` script): it
// starts in about a third of the time tsx takes to compile src/ on every run. The bundle runs only
// while it is newer than every file it was built from. Otherwise this rebuilds it first (so an edit in
// src/ never runs stale code, and tests that spawn this bin test the sources as they are), and if that
// fails too (a syntax error being typed), runs the sources through tsx, which reports it.
const bundle = require('./cli-bundle.cjs');

async function rebuildThenRun() {
  // tsx loads the build script, which is TypeScript; the bundle then runs without tsx's hook. (tsx's
  // scoped require would not do: it tags paths with a query that hides esbuild's binary from esbuild.)
  const unregister = require('tsx/cjs/api').register();
  try {
    await require('../scripts/build-cli.ts').buildCli();
  } catch {
    require('../src/cli/main.ts');
    return;
  }
  unregister();
  require(bundle.MAIN);
}

if (bundle.isFresh()) require(bundle.MAIN);
else rebuildThenRun();
