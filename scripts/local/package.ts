import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { frameworkEnv, ROOT } from './stack-definition';

export interface PackageResult {
  /** serverless' exit code; 0 when the package was written. */
  code: number;
  output: string;
  /** Where the template and the zips are (`<outDir>`). */
  outDir: string;
}

// Not linked into the shadow: build output (the reason for the shadow) and what the framework refuses.
const NOT_LINKED = new Set([
  '.git',
  '.esbuild',
  '.serverless',
  'coverage',
  'test-artifacts',
  'serverless.yml',
]);

/**
 * Runs `serverless package --stage <stage> --package <outDir>` without touching the repository's own
 * `.esbuild/`. serverless-esbuild deletes that folder when packaging is done, and it is where a running
 * `npm start` loads its handlers from; so this packages from a shadow of the repository in a temporary
 * directory (links to every entry, serverless.yml copied since the framework does not accept a linked
 * one), with its own `.esbuild/`, removed afterwards.
 *
 * @example
 * const { code, outDir } = await packageStack({ stage: 'citest', outDir: '/tmp/pkg' });
 * // outDir/cloudformation-template-update-stack.json, outDir/getMaintenance.zip, ...
 */
export async function packageStack(options: {
  stage: string;
  outDir: string;
  /** Stage parameters (`--param=name=value`), e.g. `{ attachTo: 'arn:...' }` for attach mode. */
  params?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<PackageResult> {
  const outDir = resolvePath(options.outDir);
  const shadow = mkdtempSync(join(tmpdir(), 'waf-maintenance-shadow-'));
  try {
    for (const entry of readdirSync(ROOT)) {
      if (!NOT_LINKED.has(entry)) symlinkSync(join(ROOT, entry), join(shadow, entry));
    }
    copyFileSync(join(ROOT, 'serverless.yml'), join(shadow, 'serverless.yml'));
    const bin = join(ROOT, 'node_modules', '.bin', 'serverless');
    const params = Object.entries(options.params ?? {}).map(([name, value]) => `--param=${name}=${value}`);
    const args = ['package', '--stage', options.stage, '--package', outDir, ...params];
    return await new Promise((resolve, reject) => {
      execFile(
        bin,
        args,
        {
          cwd: shadow,
          env: frameworkEnv(),
          timeout: options.timeoutMs ?? 120_000,
          maxBuffer: 16 * 1024 * 1024,
          ...(options.signal ? { signal: options.signal } : {}),
        },
        (error, stdout, stderr) => {
          const code = error ? (error as { code?: unknown }).code : 0;
          if (typeof code !== 'number') return reject(error);
          resolve({ code, output: `${stdout}${stderr}`, outDir });
        },
      );
    });
  } finally {
    rmSync(shadow, { recursive: true, force: true });
  }
}
