import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/**
 * The local stand-in for a DynamoDB stream's event source mapping, which neither moto nor serverless-offline
 * has: it reads the table's stream in the emulator (moto stores stream records; the Streams API spoken as
 * JSON, since the SDK's streams client is not a dependency), keeps the records the function's
 * `filterPatterns` admit, and invokes the function through serverless-offline's Lambda endpoint with the
 * event Lambda would send. Patterns it cannot evaluate are refused when it starts, never passed through.
 */

export interface StreamRunnerOptions {
  emulatorUrl: string;
  tableName: string;
  /** The function as serverless-offline's Lambda endpoint names it: `<service>-<stage>-<function>`. */
  functionName: string;
  lambdaUrl: string;
  filterPatterns: unknown[];
  batchSize: number;
  pollMs?: number;
  log: (line: string) => void;
}

export interface RunningStreamRunner {
  stop(): Promise<void>;
}

export class UnsupportedFilter extends Error {}

type Matcher = (value: unknown) => boolean;

/**
 * One filter pattern, by Lambda's event filtering rules for what it uses: an object matches field by field
 * (a field the record lacks does not match); an array lists the values a field may have, each a literal or
 * `{ prefix: '...' }` (Lambda Developer Guide, "Control which events Lambda sends to your function").
 */
export function compileFilter(pattern: unknown, path = 'pattern'): Matcher {
  if (Array.isArray(pattern)) {
    const options = pattern.map((option, i): Matcher => {
      if (typeof option === 'string' || typeof option === 'number' || typeof option === 'boolean') {
        return (value) => value === option;
      }
      if (option && typeof option === 'object' && Object.keys(option).join() === 'prefix') {
        const prefix = (option as { prefix: unknown }).prefix;
        if (typeof prefix !== 'string') throw new UnsupportedFilter(`${path}[${i}]: prefix must be a string`);
        return (value) => typeof value === 'string' && value.startsWith(prefix);
      }
      throw new UnsupportedFilter(
        `${path}[${i}]: the local stream runner cannot evaluate ${JSON.stringify(option)}`,
      );
    });
    return (value) => options.some((option) => option(value));
  }
  if (pattern && typeof pattern === 'object') {
    const fields = Object.entries(pattern).map(
      ([key, sub]) => [key, compileFilter(sub, `${path}.${key}`)] as const,
    );
    return (value) =>
      value !== null &&
      typeof value === 'object' &&
      fields.every(([key, match]) => key in value && match((value as Record<string, unknown>)[key]));
  }
  throw new UnsupportedFilter(`${path}: the local stream runner cannot evaluate ${JSON.stringify(pattern)}`);
}

/** The Streams API of the emulator, one JSON call (moto routes it by X-Amz-Target; it checks no signature). */
async function streams<T>(emulatorUrl: string, target: string, body: unknown): Promise<T> {
  const res = await fetch(emulatorUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDBStreams_20120810.${target}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${target} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

interface StreamRecord {
  eventName?: string;
  dynamodb?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Starts reading the table's stream from its latest records (as `startingPosition: LATEST` does) and
 * invoking the function with each batch that passes the filters.
 *
 * @example
 * const runner = await startStreamRunner({ emulatorUrl, tableName, functionName, lambdaUrl, filterPatterns, batchSize: 10, log });
 * await runner.stop();
 */
export async function startStreamRunner(options: StreamRunnerOptions): Promise<RunningStreamRunner> {
  const filters = options.filterPatterns.map((pattern, i) => compileFilter(pattern, `filterPatterns[${i}]`));
  const admits = (record: StreamRecord) => filters.length === 0 || filters.some((f) => f(record));
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: options.emulatorUrl, credentials });
  const lambda = new LambdaClient({ region: 'us-east-1', endpoint: options.lambdaUrl, credentials });
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn)
    throw new Error(`table ${options.tableName} has no stream: provision it from serverless.yml`);
  const { StreamDescription } = await streams<{ StreamDescription: { Shards?: Array<{ ShardId: string }> } }>(
    options.emulatorUrl,
    'DescribeStream',
    { StreamArn: streamArn },
  );
  let iterators = await Promise.all(
    (StreamDescription.Shards ?? []).map(async ({ ShardId }) => {
      const out = await streams<{ ShardIterator: string }>(options.emulatorUrl, 'GetShardIterator', {
        StreamArn: streamArn,
        ShardId,
        ShardIteratorType: 'LATEST',
      });
      return out.ShardIterator;
    }),
  );

  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.pollMs ?? 200);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const invoke = async (batch: StreamRecord[]) => {
    try {
      const result = await lambda.send(
        new InvokeCommand({
          FunctionName: options.functionName,
          Payload: new TextEncoder().encode(JSON.stringify({ Records: batch })),
        }),
        { abortSignal: AbortSignal.timeout(60_000) },
      );
      if (result.FunctionError)
        options.log(`${options.functionName} failed on a batch: ${result.FunctionError}`);
    } catch (error) {
      if (!stopped) options.log(`invoking ${options.functionName}: ${(error as Error).message}`);
    }
  };

  const poll = async () => {
    while (!stopped) {
      const next: string[] = [];
      for (const iterator of iterators) {
        let out: { Records?: StreamRecord[]; NextShardIterator?: string };
        try {
          out = await streams(options.emulatorUrl, 'GetRecords', { ShardIterator: iterator });
        } catch (error) {
          if (!stopped)
            options.log(`reading the stream of ${options.tableName}: ${(error as Error).message}`);
          next.push(iterator);
          continue;
        }
        if (out.NextShardIterator) next.push(out.NextShardIterator);
        const records = (out.Records ?? [])
          .filter(admits)
          .map((record) => ({ ...record, eventSourceARN: streamArn }));
        // Each batch is invoked once: a failure is logged and the stream moves on (the function retries its
        // own posts; maximumRetryAttempts in serverless.yml bounds Lambda's).
        for (let at = 0; at < records.length && !stopped; at += options.batchSize) {
          await invoke(records.slice(at, at + options.batchSize));
        }
      }
      iterators = next;
      if (!stopped) await pause();
    }
  };
  const running = poll();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
      dynamodb.destroy();
      lambda.destroy();
    },
  };
}
