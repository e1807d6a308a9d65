/** What `npm start` is asked to do, from its arguments and environment. */
export interface StartOptions {
  stage: string;
  httpPort: number;
  motoPort: number;
  /** The local edge, standing in for the distribution. */
  edgePort: number;
  /** The origin behind the local edge; when unset, a sample site is started here. */
  originUrl: string | undefined;
  /** An emulator that is already running; when unset, moto server is started here. */
  endpointUrl: string | undefined;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

// API Gateway stage names allow these; the stage also ends up in table, ACL and IP set names.
const STAGE_PATTERN = /^[A-Za-z0-9-]{1,32}$/;

function stageArgument(argv: string[]): string | undefined {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--stage') {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError('--stage needs a value');
      return value;
    }
    if (arg.startsWith('--stage=')) return arg.slice('--stage='.length);
  }
  return undefined;
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new UsageError(`${name} must be a TCP port (1-65535), not "${value}"`);
  }
  return parsed;
}

function originUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new UsageError(
      `ORIGIN_URL must be an http(s) URL without a query, like http://127.0.0.1:5173, not "${value}"`,
    );
  }
  return value;
}

/**
 * Stage from `--stage`, else `MAINTENANCE_STAGE`, else `dev` (the contract's order, the same as
 * serverless.yml's); the API on `PORT` (3000), the local edge on `EDGE_PORT` (8080) in front of
 * `ORIGIN_URL` (else a sample site), and moto on `MOTO_PORT` (4566) unless `AWS_ENDPOINT_URL`.
 *
 * @example
 * resolveStartOptions(['--stage', 'demo'], { PORT: '3100' }); // { stage: 'demo', httpPort: 3100, edgePort: 8080, ... }
 */
export function resolveStartOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions {
  const stage = stageArgument(argv) ?? (env.MAINTENANCE_STAGE || 'dev');
  if (!STAGE_PATTERN.test(stage)) {
    throw new UsageError(`The stage must be 1-32 letters, digits or hyphens, not "${stage}"`);
  }
  const httpPort = port('PORT', env.PORT, 3000);
  const edgePort = port('EDGE_PORT', env.EDGE_PORT, 8080);
  if (edgePort === httpPort) throw new UsageError(`PORT and EDGE_PORT must differ (both are ${httpPort})`);
  return {
    stage,
    httpPort,
    motoPort: port('MOTO_PORT', env.MOTO_PORT, 4566),
    edgePort,
    originUrl: originUrl(env.ORIGIN_URL),
    endpointUrl: env.AWS_ENDPOINT_URL || undefined,
  };
}
