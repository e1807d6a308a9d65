import { slackAckDeps } from '../../../handlers/lib/slack-deps';
import { DynamoDbSlackReplayGuard } from '../../../src/adapters/aws/dynamodb-slack-replay-guard';

const env = {
  TABLE_NAME: 'waf-maintenance-unit',
  SLACK_SIGNING_SECRET_PARAMETER: '/waf-maintenance/unit/slack-signing-secret',
  SLACK_WORKER_FUNCTION: 'waf-maintenance-unit-slackWorker',
};

describe('slackAckDeps', () => {
  it("guards against replays with the stage's table", () => {
    expect(slackAckDeps(env).replays).toBeInstanceOf(DynamoDbSlackReplayGuard);
  });

  it('gives the acknowledgement the response_url prefix the stage sets', () => {
    expect(slackAckDeps({ ...env, SLACK_RESPONSE_URL_PREFIX: 'http://127.0.0.1:' }).responseUrlPrefix).toBe(
      'http://127.0.0.1:',
    );
  });

  it.each([
    ['unset', undefined],
    ['empty, as the template passes it by default', ''],
  ])('admits no other response_url origin when the prefix is %s', (_label, prefix) => {
    expect(slackAckDeps({ ...env, SLACK_RESPONSE_URL_PREFIX: prefix }).responseUrlPrefix).toBeUndefined();
  });
});
