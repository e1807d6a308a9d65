import { run } from './run';

/**
 * The AWS SDK warns on every run under Node < 22 that future releases will need Node 22. That is news
 * for whoever upgrades the SDK, not for someone switching maintenance on, and it would garble stderr.
 * Only the CLI drops it; the Lambdas and tests still see it.
 */
function dropSdkNodeVersionWarning(): void {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const message = typeof warning === 'string' ? warning : warning.message;
    if (message.startsWith('NodeVersionSupportWarning')) return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

dropSdkNodeVersionWarning();
run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    // exitCode rather than exit(): stdout may still be flushing into a pipe.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`maintenance: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
