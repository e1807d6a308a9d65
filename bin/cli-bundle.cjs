'use strict';
// Where the CLI's bundle lives and whether it may run: shared by the bin (which must decide in a
// millisecond, so plain CommonJS with no dependencies) and scripts/build-cli.ts (which writes it).
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
// Under node_modules/.cache like other tools' build caches: git and Biome ignore it already, and
// `npm ci` starts it afresh. The bundle is a cache of src/, not a source of its own.
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'waf-maintenance-cli');
const MAIN = join(OUT_DIR, 'main.cjs');
const MANIFEST = join(OUT_DIR, 'manifest.json');

/**
 * True when the bundle was built after every file it was built from last changed. The manifest lists
 * those files (repository-relative) and when the build started; a file changed since, or gone, makes
 * the bundle stale. About 40 stat calls: well under a millisecond (bench/cli-start.ts measures it).
 * Dependencies count through node_modules/.package-lock.json, which npm rewrites on every change.
 */
function isFresh(root = ROOT, manifestPath = MANIFEST) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return false;
  }
  const { builtAt, inputs } = manifest;
  if (typeof builtAt !== 'number' || !Array.isArray(inputs) || inputs.length === 0) return false;
  for (const input of inputs) {
    const stats = statSync(join(root, input), { throwIfNoEntry: false });
    if (!stats || stats.mtimeMs > builtAt) return false;
  }
  return true;
}

module.exports = { ROOT, OUT_DIR, MAIN, MANIFEST, isFresh };
