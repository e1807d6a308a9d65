import type { Context } from 'aws-lambda';
import { createHandler as createGet } from '../../../handlers/get-maintenance';
import { ANSWER_MARGIN_MS } from '../../../handlers/lib/answer-in-time';
import { createHandler as createSet } from '../../../handlers/set-maintenance';
import { createHandler as createWorker, FINAL_REPLY_MS } from '../../../handlers/slack-worker';
import { UpstreamError } from '../../../src/domain/errors';
import type { ChangeRecord } from '../../../src/domain/maintenance-status';
import type { SlackMessage } from '../../../src/domain/slack-blocks';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import {
  ACL_ARN,
  FakeEdge,
  GROUP_ARN,
  InMemoryBypassSets,
  InMemoryChangeLog,
  InMemoryTokenRegistry,
  OPERATOR_TOKEN,
  RecordingResponder,
  switchDeps,
  V4,
  V6,
} from '../../support/fakes';

/**
 * The bypass secret is a credential: it goes to whoever asked (the answer, the caller's own Slack message)
 * and nowhere else. Logs are read by more people than operators and kept longer than a window, so no line
 * a handler writes may hold it, on success or on failure.
 */
const SECRET = 'Zk3q9V0m2Xr4_k9-Pz8Lw3Ty7Ub5Hs0Jd2Fg6Ae1Cx9';

const LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;

function captureConsole(): () => string {
  const spies = LEVELS.map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
  return () => JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
}

function makeDeps() {
  return switchDeps({
    bypass: new InMemoryBypassSets(),
    tokens: new InMemoryTokenRegistry([[OPERATOR_TOKEN, 'deploy-bot', 'operator']]),
    newSecret: () => SECRET,
    siteUrl: 'https://www.example.com',
  });
}

class FailingChangeLog extends InMemoryChangeLog {
  override async record(_change: ChangeRecord): Promise<void> {
    throw new UpstreamError('DynamoDB did not answer');
  }
}

/** Posts nothing: every reply fails as the HTTP responder's would. */
class DeadResponder extends RecordingResponder {
  override async post(url: string, message: SlackMessage) {
    await super.post(url, message);
    throw new UpstreamError('Slack answered 500 to the response_url post');
  }
}

const job = (kind: 'on' | 'status') => ({
  command: kind === 'on' ? { kind, reason: 'Upgrade' } : { kind },
  actor: 'slack:alice (U2147483697)',
  userId: 'U2147483697',
  responseUrl: 'https://hooks.slack.com/commands/1/2',
});

const workerContext = {
  getRemainingTimeInMillis: () => 20_000 + FINAL_REPLY_MS + ANSWER_MARGIN_MS,
} as Context;

afterEach(() => jest.restoreAllMocks());

describe('the bypass secret stays out of the logs', () => {
  it('is in the answers of POST and GET /maintenance, in no console line', async () => {
    const logged = captureConsole();
    const deps = makeDeps();

    const set = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true, reason: 'Upgrade' }));
    const expected = { groupArn: GROUP_ARN, webAclArns: [ACL_ARN], ipSets: { v4: V4, v6: V6 } };
    const get = await invoke(
      createGet({ ...deps, edge: new FakeEdge(), expected }),
      httpEvent({ method: 'GET', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }),
    );

    expect(set.body.bypassLink).toBe(`/__maintenance/bypass/${SECRET}`);
    expect(get.body.bypassLink).toBe(`/__maintenance/bypass/${SECRET}`);
    expect(logged()).not.toContain(SECRET);
  });

  it('is in no console line when a toggle fails after its WAF write', async () => {
    const logged = captureConsole();
    const deps = { ...makeDeps(), changes: new FailingChangeLog() };

    const set = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));

    expect(set.status).toBeGreaterThanOrEqual(500);
    expect(logged()).not.toBe('[]');
    expect(logged()).not.toContain(SECRET);
  });

  it("is in the Slack caller's own message, in no console line, even when every reply fails", async () => {
    const logged = captureConsole();
    const posting = { ...makeDeps(), responder: new RecordingResponder() };
    const failing = { ...makeDeps(), responder: new DeadResponder() };

    for (const deps of [posting, failing]) {
      await createWorker(deps)(job('on'), workerContext);
      await createWorker(deps)(job('status'), workerContext);
    }

    expect(JSON.stringify(posting.responder.posts)).toContain(SECRET);
    expect(JSON.stringify(failing.responder.posts)).toContain(SECRET);
    expect(logged()).toContain('slack-reply-failed');
    expect(logged()).not.toContain(SECRET);
  });
});
