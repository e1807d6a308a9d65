import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseBypassRequest } from '../src/use-cases/update-bypass-set';
import { msSince, type Summary, summarize } from './stats';
import { apiEvent, lambdaContext } from './toggle';

/**
 * The bypass set at its limit: one POST /maintenance/bypass adding 10,000 IPv4 addresses, then one removing
 * them, through the real handlers (admin auth, zod, the one address parser, GetIPSet + UpdateIPSet) against
 * moto directly. `parse` isolates the core's share: parsing and canonicalising the 10,000 entries.
 */
export interface BypassBenchResult {
  size: number;
  rounds: number;
  add: Summary;
  remove: Summary;
  list: Summary;
  parse: Summary;
}

export const BYPASS_BATCH = 10_000;

/** 10,000 distinct IPv4 addresses, written non-canonically (host bits set) so canonicalising is real work. */
export function batchOfAddresses(size = BYPASS_BATCH): string[] {
  return Array.from({ length: size }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.7/24`);
}

type Invoke = (event: ReturnType<typeof apiEvent>) => Promise<APIGatewayProxyStructuredResultV2>;

async function timed(invoke: Invoke, event: ReturnType<typeof apiEvent>, expect: (body: unknown) => boolean) {
  const start = process.hrtime.bigint();
  const result = await invoke(event);
  const ms = msSince(start);
  const body = JSON.parse(String(result.body));
  if (result.statusCode !== 200 || !expect(body)) {
    throw new Error(
      `bypass bench: unexpected answer ${result.statusCode} ${String(result.body).slice(0, 300)}`,
    );
  }
  return ms;
}

/**
 * Runs `rounds` rounds of add-all / list / remove-all. Requires process.env.AWS_ENDPOINT_URL to point at moto
 * before it is called (the handlers' clients are built here).
 */
export async function runBypassBench(input: {
  env: Record<string, string>;
  adminToken: string;
  rounds?: number;
}): Promise<BypassBenchResult> {
  const rounds = input.rounds ?? 3;
  const { awsDeps } = await import('../handlers/lib/aws-deps');
  const update = (await import('../handlers/update-bypass')).createHandler(awsDeps(input.env));
  const list = (await import('../handlers/get-bypass')).createHandler(awsDeps(input.env));
  const info = console.info;
  console.info = () => undefined; // the handler's audit line, 10,000 addresses long
  const context = lambdaContext();
  const addresses = batchOfAddresses();
  const samples = {
    add: [] as number[],
    remove: [] as number[],
    list: [] as number[],
    parse: [] as number[],
  };
  try {
    for (let round = 0; round < rounds; round++) {
      const parseStart = process.hrtime.bigint();
      parseBypassRequest({ add: addresses });
      samples.parse.push(msSince(parseStart));
      samples.add.push(
        await timed(
          (e) => update(e, context),
          apiEvent('POST', '/maintenance/bypass', input.adminToken, { add: addresses }),
          (b) => (b as { added: string[] }).added.length === addresses.length,
        ),
      );
      samples.list.push(
        await timed(
          (e) => list(e, context),
          apiEvent('GET', '/maintenance/bypass', input.adminToken),
          (b) => (b as { count: number }).count === addresses.length,
        ),
      );
      samples.remove.push(
        await timed(
          (e) => update(e, context),
          apiEvent('POST', '/maintenance/bypass', input.adminToken, { remove: addresses }),
          (b) => (b as { removed: string[] }).removed.length === addresses.length,
        ),
      );
    }
  } finally {
    console.info = info;
  }
  return {
    size: addresses.length,
    rounds,
    add: summarize(samples.add),
    remove: summarize(samples.remove),
    list: summarize(samples.list),
    parse: summarize(samples.parse),
  };
}
