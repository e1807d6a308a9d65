import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { frameworkEnv, ROOT } from '../../scripts/local/stack-definition';
import { API } from '../../src/api/routes';

type HttpApiEvent = { httpApi?: string | { method: string; path: string } };

/** Each function's events as the framework resolves serverless.yml (what `serverless deploy` would use). */
async function functionEvents(): Promise<Record<string, HttpApiEvent[]>> {
  const bin = resolve(ROOT, 'node_modules', '.bin', 'serverless');
  const { stdout } = await promisify(execFile)(bin, ['print', '--format', 'json', '--stage', 'template'], {
    cwd: ROOT,
    env: frameworkEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  const functions = JSON.parse(stdout.slice(stdout.indexOf('{'))).functions as Record<
    string,
    { events?: HttpApiEvent[] }
  >;
  return Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, fn.events ?? []]));
}

describe("serverless.yml's httpApi events", () => {
  let events: Record<string, HttpApiEvent[]>;

  beforeAll(async () => {
    events = await functionEvents();
  });

  it("are, function by function, exactly the API description's routes and the catch-all", () => {
    const declared = Object.fromEntries(
      Object.entries(events)
        .map(([name, list]) => [name, list.filter((event) => event.httpApi !== undefined)] as const)
        .filter(([, list]) => list.length > 0),
    );
    const described = Object.fromEntries(
      Object.entries(API).map(([name, { method, path }]) => [name, [{ httpApi: { method, path } }]]),
    );
    // The catch-all answers what no route does (handlers/not-found.ts), from the same description.
    expect(declared).toEqual({ ...described, notFound: [{ httpApi: '*' }] });
  });
});
