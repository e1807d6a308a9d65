import { REQUEST_FAILED } from '../../../handlers/lib/problem';
import { createHandler as createSet } from '../../../handlers/set-maintenance';
import { createHandler as createSlackCommand } from '../../../handlers/slack-command';
import { UpstreamError } from '../../../src/domain/errors';
import { invoke, jsonPost } from '../../support/events';
import {
  FakeClock,
  FixedSecret,
  InMemorySlackGrants,
  InMemorySlackReplayGuard,
  InMemoryTokenRegistry,
  OPERATOR_TOKEN,
  RecordingJobQueue,
  switchDeps,
} from '../../support/fakes';
import { RecordingLogger } from '../../support/recording-logger';
import { SIGNING_SECRET, signedSlackEvent } from '../../support/slack';

/** What a handler logs goes through the Logger its deps bring: one line per failure, never one per layer. */
function setDeps() {
  const tokens = new InMemoryTokenRegistry([[OPERATOR_TOKEN, 'deploy-bot', 'operator']]);
  return { ...switchDeps({ tokens }), logger: new RecordingLogger() };
}

describe('a failed request in the logs', () => {
  it('logs a 5xx once, through the port, with the problem code, its detail and its cause', async () => {
    const deps = setDeps();
    const sdk = Object.assign(new Error('We encountered an internal error.'), {
      name: 'InternalErrorException',
    });
    deps.ruleGroup.get = async () => {
      throw new UpstreamError('AWS failed: GetRuleGroup: InternalErrorException', { cause: sdk });
    };

    const res = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));

    expect(res.status).toBe(502);
    expect(deps.logger.lines).toEqual([
      {
        level: 'error',
        event: REQUEST_FAILED,
        fields: { code: 'upstream', message: res.body.detail, cause: sdk },
      },
    ]);
  });

  it('logs a bug once as code internal, while the answer exposes nothing of it', async () => {
    const deps = setDeps();
    deps.ruleGroup.get = async () => {
      throw new TypeError('secret internals');
    };

    const res = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));

    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret internals');
    expect(deps.logger.lines).toEqual([
      {
        level: 'error',
        event: REQUEST_FAILED,
        fields: { code: 'internal', message: 'unhandled error', error: new TypeError('secret internals') },
      },
    ]);
  });

  it('logs nothing for a 4xx: the answer tells the caller what to fix', async () => {
    const deps = setDeps();

    const res = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: 'yes' }));

    expect(res.status).toBe(400);
    expect(deps.logger.lines).toEqual([]);
  });
});

describe('the Slack command in the logs', () => {
  function slackDeps() {
    return {
      secret: new FixedSecret(SIGNING_SECRET),
      replays: new InMemorySlackReplayGuard(),
      grants: new InMemorySlackGrants({ U2147483697: 'operator' }),
      queue: new RecordingJobQueue(),
      clock: new FakeClock(),
      responseUrlPrefix: undefined,
      logger: new RecordingLogger(),
    };
  }

  it('logs a forged signature as a warning with its reason, and nothing of the secret', async () => {
    const deps = slackDeps();

    const res = await invoke(createSlackCommand(deps), signedSlackEvent({ secret: 'not-the-secret' }));

    expect(res.status).toBe(401);
    expect(deps.logger.lines).toEqual([
      { level: 'warn', event: 'slack-signature-refused', fields: { reason: expect.any(String) } },
    ]);
    expect(JSON.stringify(deps.logger.lines)).not.toContain(SIGNING_SECRET);
  });

  it('logs a failure after verification once, saying it was verified', async () => {
    const deps = slackDeps();
    deps.queue.failWith = new UpstreamError('AWS failed: worker: ServiceException');

    const res = await invoke(createSlackCommand(deps), signedSlackEvent());

    expect(res.status).toBe(200);
    expect(deps.logger.lines).toEqual([
      {
        level: 'error',
        event: 'slack-command-failed',
        fields: { verified: true, error: deps.queue.failWith },
      },
    ]);
  });
});
