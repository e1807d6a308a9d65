import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { type BuildOptions, build, type Metafile, type OutputFile, type Plugin } from 'esbuild';
import { MAIN, MANIFEST, OUT_DIR, ROOT } from '../bin/cli-bundle.cjs';

/** The AWS SDK's bundle, beside MAIN; only the AWS-direct commands require it. */
const SDK_FILE = 'aws-sdk.cjs';
const SDK_PACKAGES = /^@(aws-sdk|smithy)\//;

/**
 * Files the bundle depends on besides the sources esbuild reads: its build, and the dependencies (npm
 * rewrites node_modules/.package-lock.json whenever it changes them).
 */
const BUILD_INPUTS = [
  'scripts/build-cli.ts',
  'bin/cli-bundle.cjs',
  'tsconfig.json',
  'node_modules/.package-lock.json',
];

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // ESM builds of the SDK: smaller bundles (NOTES.md, "Runtime and packaging").
  mainFields: ['module', 'main'],
  absWorkingDir: ROOT,
  logLevel: 'silent',
};

/**
 * Sends every import of an SDK package to SDK_FILE, which is required on first use only: `status` and
 * `--help` then never read the SDK's 1.2 MB (a single bundle would still parse it: about 20 ms). The
 * split runs between the SDK and our code, so every class of ours (DomainError, CliError) has one copy,
 * and so does every class of the SDK's.
 */
function sdkOnDemand(packages: Set<string>): Plugin {
  return {
    name: 'sdk-on-demand',
    setup(builder) {
      builder.onResolve({ filter: SDK_PACKAGES }, ({ path }) => {
        packages.add(path);
        return { path, namespace: 'sdk-on-demand' };
      });
      builder.onResolve({ filter: new RegExp(`^\\./${SDK_FILE.replace('.', '\\.')}$`) }, ({ path }) => ({
        path,
        external: true,
      }));
      builder.onLoad({ filter: /.*/, namespace: 'sdk-on-demand' }, ({ path }) => ({
        contents: `module.exports = require('./${SDK_FILE}')[${JSON.stringify(path)}];`,
        loader: 'js',
      }));
    },
  };
}

/** SDK_FILE's source: one getter a package, so a command evaluates only the clients it uses. */
function sdkEntry(packages: Set<string>): string {
  const getters = [...packages]
    .sort()
    .map((name) => `  get ${JSON.stringify(name)}() { return require(${JSON.stringify(name)}); },`);
  return `module.exports = {\n${getters.join('\n')}\n};\n`;
}

/** Writes beside, then renames: a bin starting meanwhile (or a second build) never reads half a file. */
async function writeAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

const repoInputs = (metafile: Metafile): string[] =>
  Object.keys(metafile.inputs).filter((input) => !input.includes(':') && !input.includes('node_modules/'));

export interface CliBuild {
  /** Repository-relative files the manifest lists. */
  inputs: string[];
  /** Bytes of the CLI's bundle and of the SDK's. */
  bytes: { main: number; sdk: number };
}

/**
 * Builds the CLI into bin/cli-bundle.cjs's OUT_DIR: MAIN (our code), SDK_FILE (the AWS SDK) and the
 * manifest the bin checks freshness against, written last so it never vouches for older files.
 *
 * @example
 * await buildCli(); // { inputs: ['src/cli/main.ts', ...], bytes: { main: 70_000, sdk: 1_250_000 } }
 */
export async function buildCli(): Promise<CliBuild> {
  const builtAt = Date.now();
  const packages = new Set<string>();
  const main = await build({
    ...COMMON,
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile: MAIN,
    write: false,
    metafile: true,
    plugins: [sdkOnDemand(packages)],
  });
  const sdk = await build({
    ...COMMON,
    stdin: { contents: sdkEntry(packages), resolveDir: ROOT, sourcefile: 'aws-sdk-entry.js' },
    outfile: join(OUT_DIR, SDK_FILE),
    write: false,
  });
  const only = (outputs: OutputFile[]): OutputFile => {
    const [file] = outputs;
    if (!file || outputs.length !== 1) throw new Error(`expected one output, got ${outputs.length}`);
    return file;
  };
  const [mainFile, sdkFile] = [only(main.outputFiles), only(sdk.outputFiles)];
  const inputs = [...repoInputs(main.metafile), ...BUILD_INPUTS].sort();
  await mkdir(OUT_DIR, { recursive: true });
  await writeAtomically(sdkFile.path, sdkFile.contents);
  await writeAtomically(mainFile.path, mainFile.contents);
  await writeAtomically(MANIFEST, `${JSON.stringify({ builtAt, inputs }, null, 2)}\n`);
  return { inputs, bytes: { main: mainFile.contents.byteLength, sdk: sdkFile.contents.byteLength } };
}

if (require.main === module) {
  buildCli().then(
    ({ inputs, bytes }) => {
      const where = relative(ROOT, dirname(MAIN));
      const kb = (n: number) => `${Math.round(n / 1024)} KB`;
      process.stdout.write(
        `CLI bundle in ${where}: main.cjs ${kb(bytes.main)}, ${SDK_FILE} ${kb(bytes.sdk)}, from ${inputs.length} files\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`build-cli: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
