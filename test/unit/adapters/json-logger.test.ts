import { JsonLogger, loggableError } from '../../../src/adapters/json-logger';
import { UpstreamError } from '../../../src/domain/errors';
import { FakeClock } from '../../support/fakes';

const AT = new Date('2026-11-23T10:00:00.000Z');

function makeLogger() {
  const sink = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const clock = { now: () => AT };
  return { logger: new JsonLogger(sink, clock), sink };
}

/** A throttled SDK call as the AWS adapters see it: metadata and a stack no log line should carry. */
function sdkError() {
  const sdk = Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    $response: { body: '{"Addresses":["198.51.100.7/32"]}' },
  });
  return new UpstreamError('AWS failed: UpdateIPSet: ThrottlingException', { cause: sdk });
}

describe('JsonLogger', () => {
  it('writes one JSON line per call: level, event and timestamp first, then the fields', () => {
    const { logger, sink } = makeLogger();

    logger.warn('slack-signature-refused', { reason: 'stale timestamp' });

    expect(sink.warn).toHaveBeenCalledTimes(1);
    expect(sink.warn).toHaveBeenCalledWith(
      '{"level":"warn","event":"slack-signature-refused","timestamp":"2026-11-23T10:00:00.000Z","reason":"stale timestamp"}',
    );
    expect(sink.info).not.toHaveBeenCalled();
    expect(sink.error).not.toHaveBeenCalled();
  });

  it.each(['info', 'warn', 'error'] as const)(
    'writes %s lines through the console method of that name',
    (level) => {
      const { logger, sink } = makeLogger();

      logger[level]('an-event');
      logger[level]('another-event', { n: 2 });

      expect(sink[level].mock.calls.map(([line]) => JSON.parse(line))).toEqual([
        { level, event: 'an-event', timestamp: AT.toISOString() },
        { level, event: 'another-event', timestamp: AT.toISOString(), n: 2 },
      ]);
      for (const line of sink[level].mock.calls.map(([text]) => text as string)) {
        expect(line).not.toContain('\n');
      }
    },
  );

  it('keeps its own keys when a field has the same name', () => {
    const { logger, sink } = makeLogger();

    logger.error('request-failed', { level: 'info', event: 'other', timestamp: 0, code: 'upstream' });

    expect(sink.error).toHaveBeenCalledWith(
      '{"level":"error","event":"request-failed","timestamp":"2026-11-23T10:00:00.000Z","code":"upstream"}',
    );
  });

  it('writes an error as its name, its message and its causes by message: no stack, no SDK metadata', () => {
    const { logger, sink } = makeLogger();

    logger.error('request-failed', { code: 'throttled', cause: sdkError() });

    const line = sink.error.mock.calls[0]?.[0] as string;
    expect(JSON.parse(line)).toEqual({
      level: 'error',
      event: 'request-failed',
      timestamp: AT.toISOString(),
      code: 'throttled',
      cause: {
        name: 'UpstreamError',
        message: 'AWS failed: UpdateIPSet: ThrottlingException',
        cause: ['Rate exceeded'],
      },
    });
    expect(line).not.toMatch(/stack|at Object|\$metadata|\$response|req-1|198\.51\.100\.7/);
  });

  it('reduces errors anywhere in the fields, and leaves other values as they are', () => {
    const { logger, sink } = makeLogger();

    logger.error('batch-failed', { failures: [new TypeError('x is undefined')], count: 1, ok: false });

    expect(JSON.parse(sink.error.mock.calls[0]?.[0])).toMatchObject({
      failures: [{ name: 'TypeError', message: 'x is undefined' }],
      count: 1,
      ok: false,
    });
  });

  it('reads the time from its clock at each call', () => {
    const sink = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const clock = new FakeClock(AT.getTime());
    const logger = new JsonLogger(sink, clock);

    logger.info('first');
    clock.advance(1_500);
    logger.info('second');

    expect(sink.info.mock.calls.map(([line]) => JSON.parse(line).timestamp)).toEqual([
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T10:00:01.500Z',
    ]);
  });

  it('still writes the event when the fields cannot be serialised', () => {
    const { logger, sink } = makeLogger();
    const loop: Record<string, unknown> = {};
    loop.self = loop;

    logger.error('odd-fields', { loop, big: 1n });

    expect(sink.error).toHaveBeenCalledWith(
      '{"level":"error","event":"odd-fields","timestamp":"2026-11-23T10:00:00.000Z","unloggableFields":["loop","big"]}',
    );
  });

  it('writes to the console by default, so a spy on console sees its lines', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      new JsonLogger().error('slack-reply-failed', { error: new Error('Slack answered 500') });

      expect(spy).toHaveBeenCalledTimes(1);
      expect(JSON.parse(spy.mock.calls[0]?.[0])).toMatchObject({
        level: 'error',
        event: 'slack-reply-failed',
        error: { name: 'Error', message: 'Slack answered 500' },
      });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('loggableError', () => {
  it('follows causes outermost first, by message, non-errors as strings', () => {
    const root = new Error('socket hang up');
    const middle = new Error('fetch failed', { cause: root });
    const top = new UpstreamError('Posting to Slack failed: fetch failed', { cause: middle });

    expect(loggableError(top)).toEqual({
      name: 'UpstreamError',
      message: 'Posting to Slack failed: fetch failed',
      cause: ['fetch failed', 'socket hang up'],
    });
    expect(loggableError(new Error('wrapped', { cause: 'ECONNRESET' })).cause).toEqual(['ECONNRESET']);
  });

  it('has no cause key for an error without one', () => {
    expect(loggableError(new RangeError('too long'))).toEqual({ name: 'RangeError', message: 'too long' });
  });

  it('stops at a cycle and after five causes', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(loggableError(a).cause).toEqual(['b']);

    let deep = new Error('cause 0');
    for (let i = 1; i <= 8; i++) deep = new Error(`cause ${i}`, { cause: deep });
    expect(loggableError(deep).cause).toEqual(['cause 7', 'cause 6', 'cause 5', 'cause 4', 'cause 3']);
  });
});
