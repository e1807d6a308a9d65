/**
 * `npm run build:site`: generates src/domain/maintenance-shell.ts from maintenance-site/shell.html and
 * inline.html. The rest of maintenance-site/ is served as it is, so it needs no build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHELL_MODULE_PATH, shellFromTemplate, shellModule, TEMPLATES } from './site-shell';

const ROOT = resolve(__dirname, '..');

const bodies = Object.fromEntries(
  TEMPLATES.map(({ path, constant }) => [
    constant,
    shellFromTemplate(readFileSync(resolve(ROOT, path), 'utf8')),
  ]),
) as Parameters<typeof shellModule>[0];
writeFileSync(resolve(ROOT, SHELL_MODULE_PATH), shellModule(bodies));
for (const { constant } of TEMPLATES) {
  console.log(`${SHELL_MODULE_PATH}: ${constant} is ${Buffer.byteLength(bodies[constant], 'utf8')} bytes`);
}
