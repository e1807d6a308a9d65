import { createHandler } from '../../../handlers/slack-command';
import { MisconfiguredError, UpstreamError } from '../../../src/domain/errors';
import { invoke } from '../../support/events';
import {
  FakeClock,
  FixedSecret,
  InMemorySlackGrants,
  InMemorySlackReplayGuard,
  RecordingJobQueue,
} from '../../support/fakes';
import {
  blockKitTexts,
  SIGNING_SECRET,
  signedSlackEvent,
  slackSignature,
  slashCommandBody,
} from '../../support/slack';

const NOW = Math.floor(Date.parse('2026-11-23T10:00:00.000Z') / 1000);

function makeDeps(responseUrlPrefix?: string) {
  return {
    secret: new FixedSecret(SIGNING_SECRET),
    replays: new InMemorySlackReplayGuard(),
    grants: new InMemorySlackGrants({ U2147483697: 'operator', UADMIN0001: 'admin' }),
    queue: new RecordingJobQueue(),
    clock: new FakeClock(),
    responseUrlPrefix,
  };
}

async function raw(handler: ReturnType<typeof createHandler>, event: ReturnType<typeof signedSlackEvent>) {
  const result = (await handler(event, {} as never)) as {
    statusCode: number;
    body: string;
    headers: Record<string, string>;
  };
  return result;
}

describe('POST /slack/command: verification', () => {
  const body = slashCommandBody({ text: 'on 30m Database upgrade' });

  it.each([0, false, -0, null])(
    'answers 401 with an empty body to a body serverless-offline parsed to %p, and changes nothing',
    async (value) => {
      const deps = makeDeps();
      const event = { ...signedSlackEvent({ body }), body: value as unknown as string };
      const result = await raw(createHandler(deps), event);
      expect(result.statusCode).toBe(401);
      expect(result.body).toBe('');
      expect(deps.queue.jobs).toEqual([]);
    },
  );

  it.each([
    [
      'a wrong signature',
      () => ({
        ...signedSlackEvent({ body }),
        headers: { ...signedSlackEvent({ body }).headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` },
      }),
    ],
    ['a different secret', () => signedSlackEvent({ body, secret: 'not-the-secret' })],
    ['a stale timestamp', () => signedSlackEvent({ body, timestamp: String(NOW - 301) })],
    ['a future timestamp', () => signedSlackEvent({ body, timestamp: String(NOW + 301) })],
    [
      'a body altered after signing',
      () => ({ ...signedSlackEvent({ body }), body: body.replace('30m', '2h') }),
    ],
    [
      'a missing timestamp',
      () => {
        const event = signedSlackEvent({ body });
        delete event.headers['x-slack-request-timestamp'];
        return event;
      },
    ],
    [
      'a missing signature',
      () => {
        const event = signedSlackEvent({ body });
        delete event.headers['x-slack-signature'];
        return event;
      },
    ],
    [
      'a v1 signature',
      () => {
        const event = signedSlackEvent({ body });
        event.headers['x-slack-signature'] = String(event.headers['x-slack-signature']).replace('v0=', 'v1=');
        return event;
      },
    ],
  ])('answers 401 with an empty body to %s and changes nothing', async (_label, makeEvent) => {
    const deps = makeDeps();
    const result = await raw(createHandler(deps), makeEvent());
    expect(result.statusCode).toBe(401);
    expect(result.body).toBe('');
    expect(deps.queue.jobs).toEqual([]);
    // Nothing unverified reaches the table: only Slack can add records.
    expect(deps.replays.seen.size).toBe(0);
  });

  it('accepts a body API Gateway base64-encoded, checking the signature on the decoded bytes', async () => {
    const deps = makeDeps();
    const result = await raw(createHandler(deps), signedSlackEvent({ body, base64: true }));
    expect(result.statusCode).toBe(200);
    expect(deps.queue.jobs).toHaveLength(1);
  });

  it('accepts the edge of the 5-minute window', async () => {
    const deps = makeDeps();
    const result = await raw(createHandler(deps), signedSlackEvent({ body, timestamp: String(NOW - 300) }));
    expect(result.statusCode).toBe(200);
  });

  it("answers Slack's ssl_check with 200", async () => {
    const deps = makeDeps();
    const result = await raw(createHandler(deps), signedSlackEvent({ body: 'ssl_check=1&token=x' }));
    expect(result).toMatchObject({ statusCode: 200, body: '' });
    expect(deps.queue.jobs).toEqual([]);
  });
});

describe('POST /slack/command: replays', () => {
  const off = signedSlackEvent({ body: slashCommandBody({ text: 'off' }) });

  it('answers a request seen before with an empty 401 and queues nothing more', async () => {
    const deps = makeDeps();
    const handler = createHandler(deps);
    expect((await raw(handler, off)).statusCode).toBe(200);

    const replayed = await raw(handler, structuredClone(off));

    expect(replayed).toMatchObject({ statusCode: 401, body: '' });
    expect(deps.queue.jobs.map((job) => job.command)).toEqual([{ kind: 'off' }]);
  });

  it('keeps a later `on` when a captured `off` is replayed within its 5 minutes', async () => {
    const deps = makeDeps();
    const handler = createHandler(deps);
    await raw(handler, off);
    deps.clock.advance(60_000);
    await raw(
      handler,
      signedSlackEvent({ body: slashCommandBody({ text: 'on' }), timestamp: String(NOW + 60) }),
    );

    expect((await raw(handler, off)).statusCode).toBe(401);
    expect(deps.queue.jobs.map((job) => job.command.kind)).toEqual(['off', 'on']);
  });

  it('takes the same digits in upper case for the same signature', async () => {
    const deps = makeDeps();
    const handler = createHandler(deps);
    await raw(handler, off);
    const shouted = structuredClone(off);
    shouted.headers['x-slack-signature'] =
      `v0=${String(off.headers['x-slack-signature']).slice(3).toUpperCase()}`;

    expect(await raw(handler, shouted)).toMatchObject({ statusCode: 401, body: '' });
    expect(deps.queue.jobs).toHaveLength(1);
  });

  it("records the signature's digits until a minute past the end of the request's window", async () => {
    const deps = makeDeps();
    await raw(createHandler(deps), off);
    const digest = String(off.headers['x-slack-signature']).slice(3);
    expect([...deps.replays.seen.values()]).toEqual([{ digest, expiresAt: NOW + 300 + 60 }]);
  });

  it('refuses a replay before anything else reads the request: no grant lookup, no response_url check', async () => {
    const deps = makeDeps();
    const handler = createHandler(deps);
    const foreign = signedSlackEvent({ body: slashCommandBody({ response_url: 'https://evil.example/x' }) });
    await raw(handler, foreign);
    const roleOf = jest.spyOn(deps.grants, 'roleOf');

    expect(await raw(handler, foreign)).toMatchObject({ statusCode: 401, body: '' });
    expect(roleOf).not.toHaveBeenCalled();
  });

  it('tells the user something went wrong, and queues nothing, when the record cannot be written', async () => {
    const deps = makeDeps();
    deps.replays.failWith = new UpstreamError('AWS failed: table waf-maintenance-prod: InternalServerError');
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await invoke(createHandler(deps), off);
    error.mockRestore();
    expect(res.status).toBe(200);
    expect(res.body.text).toMatch(/went wrong on our side; nothing was changed/);
    expect(deps.queue.jobs).toEqual([]);
  });
});

describe('POST /slack/command: response_url', () => {
  it.each([
    ['another host', 'https://evil.example/commands/1/2'],
    ['plain http to Slack', 'http://hooks.slack.com/commands/1/2'],
    ['a look-alike host', 'https://hooks.slack.com.evil.example/commands/1/2'],
    ['credentials before another host', 'https://hooks.slack.com@evil.example/commands/1/2'],
    ['the local prefix, not configured', 'http://127.0.0.1:4000/commands/1/2'],
    ['none at all', ''],
  ])('refuses %s before looking anything up, queuing nothing', async (_label, responseUrl) => {
    const deps = makeDeps();
    const roleOf = jest.spyOn(deps.grants, 'roleOf');
    const res = await invoke(
      createHandler(deps),
      signedSlackEvent({ body: slashCommandBody({ text: 'on', response_url: responseUrl }) }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^:warning: Nothing was changed: .*response_url is not a Slack URL/),
    });
    expect(roleOf).not.toHaveBeenCalled();
    expect(deps.queue.jobs).toEqual([]);
  });

  it.each([
    ['hooks.slack-gov.com', undefined, 'https://hooks.slack-gov.com/commands/1/2'],
    ['the configured local prefix', 'http://127.0.0.1:', 'http://127.0.0.1:4000/commands/1/2'],
  ])('accepts %s', async (_label, prefix, responseUrl) => {
    const deps = makeDeps(prefix);
    await invoke(
      createHandler(deps),
      signedSlackEvent({ body: slashCommandBody({ text: 'on', response_url: responseUrl }) }),
    );
    expect(deps.queue.jobs.map((job) => job.responseUrl)).toEqual([responseUrl]);
  });

  it('refuses credentials that hide another host behind the configured local prefix', async () => {
    const deps = makeDeps('http://127.0.0.1:');
    const res = await invoke(
      createHandler(deps),
      signedSlackEvent({ body: slashCommandBody({ response_url: 'http://127.0.0.1:80@evil.example/x' }) }),
    );
    expect(res.body.text).toMatch(/response_url is not a Slack URL/);
    expect(deps.queue.jobs).toEqual([]);
  });
});

describe('POST /slack/command: commands', () => {
  it('acknowledges a granted `on 30m Database upgrade` at once and hands it to the worker', async () => {
    const deps = makeDeps();
    const res = await invoke(
      createHandler(deps),
      signedSlackEvent({ body: slashCommandBody({ text: 'on 30m Database upgrade' }) }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Turning maintenance on'),
    });
    expect(deps.queue.jobs).toEqual([
      {
        command: { kind: 'on', retryAfterSeconds: 1800, reason: 'Database upgrade' },
        actor: 'slack:alice (U2147483697)',
        userId: 'U2147483697',
        responseUrl: 'https://hooks.slack.com/commands/1234/5678',
      },
    ]);
  });

  it('answers a read with an empty 200 and lets the worker reply', async () => {
    const deps = makeDeps();
    const result = await raw(
      createHandler(deps),
      signedSlackEvent({ body: slashCommandBody({ text: 'status' }) }),
    );
    expect(result).toMatchObject({ statusCode: 200, body: '' });
    expect(deps.queue.jobs.map((j) => j.command)).toEqual([{ kind: 'status' }]);
  });

  it('politely refuses an ungranted user and changes nothing', async () => {
    const deps = makeDeps();
    const res = await invoke(
      createHandler(deps),
      signedSlackEvent({ body: slashCommandBody({ user_id: 'UNKNOWN01', text: 'on' }) }),
    );
    expect(res.status).toBe(200);
    expect(res.body.response_type).toBe('ephemeral');
    expect(res.body.text).toMatch(/not been granted/);
    expect(deps.queue.jobs).toEqual([]);
  });

  it('refuses `allow` to an operator', async () => {
    const deps = makeDeps();
    const res = await invoke(
      createHandler(deps),
      signedSlackEvent({ body: slashCommandBody({ text: 'allow 192.0.2.1' }) }),
    );
    expect(res.body.text).toMatch(/needs the admin role/);
    expect(deps.queue.jobs).toEqual([]);
  });

  it('refuses invalid addresses with the core parser before any work is queued', async () => {
    const deps = makeDeps();
    const res = await invoke(
      createHandler(deps),
      signedSlackEvent({
        body: slashCommandBody({ user_id: 'UADMIN0001', text: 'allow 192.0.2.1 0.0.0.0/0' }),
      }),
    );
    expect(JSON.stringify(res.body.blocks)).toContain('0.0.0.0/0: /0 would let everyone through maintenance');
    expect(deps.queue.jobs).toEqual([]);
  });

  it('refuses 200 invalid addresses in one message within Block Kit limits, naming 20 and counting the rest', async () => {
    const deps = makeDeps();
    const invalid = Array.from({ length: 200 }, (_, i) => `198.18.0.${i}/33`);
    const res = await invoke(
      createHandler(deps),
      signedSlackEvent({
        body: slashCommandBody({ user_id: 'UADMIN0001', text: `allow ${invalid.join(' ')}` }),
      }),
    );
    const text = blockKitTexts(res.body).join('\n');
    expect(text).toContain('Nothing was changed; these addresses are not valid:');
    expect(text).toContain('• 198.18.0.19/33: ');
    expect(text).not.toContain('198.18.0.20/33');
    expect(text).toMatch(/\n• … and 180 more$/);
    expect(deps.queue.jobs).toEqual([]);
  });

  it.each(['on -5m', 'on 1e3s', 'on 0s', 'on 99999h', 'on 5min Database upgrade'])(
    'answers %p with the usage and queues nothing',
    async (text) => {
      const deps = makeDeps();
      const res = await invoke(createHandler(deps), signedSlackEvent({ body: slashCommandBody({ text }) }));
      expect(JSON.stringify(res.body.blocks)).toContain('Usage');
      expect(res.body.text).toMatch(/is (not a duration|out of range)/);
      expect(deps.queue.jobs).toEqual([]);
    },
  );

  it.each(['help', '', 'frobnicate'])('answers %p with the usage and queues nothing', async (text) => {
    const deps = makeDeps();
    const res = await invoke(createHandler(deps), signedSlackEvent({ body: slashCommandBody({ text }) }));
    expect(JSON.stringify(res.body.blocks)).toContain('Usage');
    expect(deps.queue.jobs).toEqual([]);
  });

  it('tells a verified user something went wrong when the worker cannot be reached, naming no internals', async () => {
    const deps = makeDeps();
    deps.queue.failWith = new UpstreamError(
      'AWS failed: worker waf-maintenance-prod-slackWorker: ServiceException',
    );
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await invoke(
      createHandler(deps),
      signedSlackEvent({ body: slashCommandBody({ text: 'on' }) }),
    );
    error.mockRestore();
    expect(res.status).toBe(200);
    expect(res.body.text).toMatch(/went wrong on our side; nothing was changed/);
    expect(JSON.stringify(res.body)).not.toContain('slackWorker');
  });

  it('answers an empty 503, and nothing about why, when the signing secret cannot be read', async () => {
    const deps = makeDeps();
    deps.secret.get = async () => {
      throw new MisconfiguredError('SSM parameter /waf-maintenance/prod/slack-signing-secret does not exist');
    };
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await raw(createHandler(deps), signedSlackEvent());
    error.mockRestore();
    expect(result).toMatchObject({ statusCode: 503, body: '' });
  });

  it('signs like Slack does', () => {
    expect(slackSignature('s', '1', 'b')).toMatch(/^v0=[0-9a-f]{64}$/);
  });
});
