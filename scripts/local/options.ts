/** What `npm start` is asked to do, from its arguments and environment. */
export interface StartOptions {
  stage: string;
  httpPort: number;
  motoPort: number;
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

/**
 * Stage from `--stage`, else `MAINTENANCE_STAGE`, else `dev` (the contract's order, the same as
 * serverless.yml's); the API on `PORT` (3000) and moto on `MOTO_PORT` (4566) unless `AWS_ENDPOINT_URL`.
 *
 * @example
 * resolveStartOptions(['--stage', 'demo'], { PORT: '3100' }); // { stage: 'demo', httpPort: 3100, motoPort: 4566, ... }
 */
export function resolveStartOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions {
  const stage = stageArgument(argv) ?? (env.MAINTENANCE_STAGE || 'dev');
  if (!STAGE_PATTERN.test(stage)) {
    throw new UsageError(`The stage must be 1-32 letters, digits or hyphens, not "${stage}"`);
  }
  return {
    stage,
    httpPort: port('PORT', env.PORT, 3000),
    motoPort: port('MOTO_PORT', env.MOTO_PORT, 4566),
    endpointUrl: env.AWS_ENDPOINT_URL || undefined,
  };
}
