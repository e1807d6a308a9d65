/**
 * `npm run build:site`: generates src/domain/maintenance-shell.ts from maintenance-site/shell.html.
 * The rest of maintenance-site/ is served as it is, so it needs no build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHELL_MODULE_PATH, SHELL_TEMPLATE_PATH, shellFromTemplate, shellModule } from './site-shell';

const ROOT = resolve(__dirname, '..');

const shell = shellFromTemplate(readFileSync(resolve(ROOT, SHELL_TEMPLATE_PATH), 'utf8'));
writeFileSync(resolve(ROOT, SHELL_MODULE_PATH), shellModule(shell));
console.log(`${SHELL_MODULE_PATH}: ${Buffer.byteLength(shell, 'utf8')} bytes of shell`);
