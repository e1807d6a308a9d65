import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeadlineHttpHandler } from '../../../src/adapters/aws/deadline-http-handler';
import { runUnder } from '../../../src/adapters/aws/deadline-scope';
import { Deadline } from '../../../src/domain/deadline';
import { DeadlineError } from '../../../src/domain/errors';
import { systemClock } from '../../../src/ports/clock';

type Request = Parameters<DeadlineHttpHandler['handle']>[0];

/** A loopback server that answers each request after `delayMs` (long enough counts as a stall). */
let server: Server;
let port: number;
let delayMs = 0;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    const timer = setTimeout(() => res.end('{}'), delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  delayMs = 0;
  seen.length = 0;
});

function awsRequest(operation: string, body: unknown = { Name: 'waf-maintenance-t' }, to = port): Request {
  return {
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: to,
    method: 'POST',
    path: '/',
    query: {},
    headers: { 'x-amz-target': `AWSWAF_20190729.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  } as unknown as Request;
}

const handler = new DeadlineHttpHandler({ connectionTimeout: 500 }, 2_000);

describe('DeadlineHttpHandler', () => {
  it('sends calls made outside any request as they are', async () => {
    const { response } = await handler.handle(awsRequest('GetRuleGroup'));
    expect(response.statusCode).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('enforces the per-call bound (a stalled call fails instead of only logging a warning)', async () => {
    delayMs = 10_000;
    const short = new DeadlineHttpHandler({}, 300);
    const started = Date.now();
    await expect(short.handle(awsRequest('GetRuleGroup'))).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends nothing once the request has been answered', async () => {
    const deadline = Deadline.in(systemClock, 10_000);
    deadline.close();
    const call = runUnder(deadline, () => handler.handle(awsRequest('GetRuleGroup')));
    await expect(call).rejects.toBeInstanceOf(DeadlineError);
    expect(seen).toHaveLength(0);
  });

  it('starts no write with too little time left, while reads still go', async () => {
    const deadline = Deadline.in(systemClock, 800);
    await expect(runUnder(deadline, () => handler.handle(awsRequest('UpdateRuleGroup')))).rejects.toThrow(
      'UpdateRuleGroup was not sent: too little time was left before the answer.',
    );
    expect(seen).toHaveLength(0);
    await runUnder(deadline, () => handler.handle(awsRequest('GetRuleGroup')));
    expect(seen).toHaveLength(1);
  });

  it('cuts an attempt off at the deadline and names the write as of unknown outcome', async () => {
    delayMs = 10_000;
    const deadline = Deadline.in(systemClock, 1_200);
    const started = Date.now();
    await expect(
      runUnder(deadline, () => handler.handle(awsRequest('UpdateRuleGroup'))),
    ).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(deadline.writesOfUnknownOutcome()).toEqual(['UpdateRuleGroup waf-maintenance-t']);
  });

  it('aborts a call in flight when the request is answered', async () => {
    delayMs = 10_000;
    const deadline = Deadline.in(systemClock, 20_000);
    const call = runUnder(deadline, () => handler.handle(awsRequest('UpdateIPSet', { Name: 'v4' })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(deadline.writesOfUnknownOutcome()).toEqual(['UpdateIPSet v4']);
    deadline.close();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(deadline.writesOfUnknownOutcome()).toEqual(['UpdateIPSet v4']);
  });

  it('knows that a write to an endpoint that refused the connection was never applied', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const deadline = Deadline.in(systemClock, 20_000);
    await expect(
      runUnder(deadline, () => handler.handle(awsRequest('PutItem', { TableName: 't' }, deadPort))),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(deadline.outcome().detail).toBe('Nothing was changed.');
  });
});
