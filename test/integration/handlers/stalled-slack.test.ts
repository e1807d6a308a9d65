import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { slackAckDeps } from '../../../handlers/lib/slack-deps';
import { createHandler, SLACK_ACK_DEADLINE_MS } from '../../../handlers/slack-command';
import { DynamoDbSlackGrants } from '../../../src/adapters/aws/dynamodb-slack-grants';
import { countingDownContext, invoke } from '../../support/events';
import { type FaultProxy, operation, startFaultProxy } from '../../support/fault-proxy';
import { SIGNING_SECRET, signedSlackEvent, slashCommandBody } from '../../support/slack';
import { provisionTestStack } from '../../support/stack';

/**
 * The Slack acknowledgement while AWS stalls: it still answers within Slack's 3 s, tells a verified user
 * what became of the command, and nothing it started reaches AWS after the answer.
 */

const STALL_MS = 8_000;
const proxies: FaultProxy[] = [];

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
});

async function rig() {
  const stack = await provisionTestStack('ss');
  const parameter = `/waf-maintenance/${stack.stage}/slack-signing-secret`;
  await new SSMClient({ region: 'us-east-1' }).send(
    new PutParameterCommand({ Name: parameter, Type: 'SecureString', Value: SIGNING_SECRET }),
  );
  await new DynamoDbSlackGrants(new DynamoDBClient({ region: 'us-east-1' }), stack.tableName).grant({
    userId: 'U2147483697',
    role: 'operator',
    grantedAt: new Date().toISOString(),
  });
  const proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL as string);
  proxies.push(proxy);
  const env = {
    TABLE_NAME: stack.tableName,
    SLACK_SIGNING_SECRET_PARAMETER: parameter,
    SLACK_WORKER_FUNCTION: `waf-maintenance-${stack.stage}-slackWorker`,
    AWS_REGION: 'us-east-1',
  };
  const handler = createHandler(slackAckDeps(env, { endpoint: proxy.url }));
  const command = async () => {
    const started = Date.now();
    const event = signedSlackEvent({
      body: slashCommandBody({ text: 'on 30m Database upgrade', trigger_id: randomUUID() }),
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    const res = await invoke(handler, event, countingDownContext(10_000));
    return { ...res, ms: Date.now() - started, answeredAt: Date.now() };
  };
  return { proxy, command };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Slack acknowledgement while AWS stalls', () => {
  it.concurrent.each([
    ['GetParameter', 503, ''],
    ['PutItem', 200, 'nothing was changed'],
    ['GetItem', 200, 'nothing was changed'],
    ['Invoke', 200, 'it may still run'],
  ])(
    'answers within Slack’s 3 s when every %s stalls, and sends nothing after the answer',
    async (stalled, status, says) => {
      const { proxy, command } = await rig();
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: operation(stalled) });
      const answer = await command();

      expect(answer.status).toBe(status);
      expect(answer.ms).toBeLessThan(SLACK_ACK_DEADLINE_MS + 300);
      expect(JSON.stringify(answer.body ?? '')).toContain(says);
      await settle(STALL_MS + 500);
      expect(proxy.calls().filter((c) => c.arrivedAt > answer.answeredAt)).toEqual([]);
      // A held hand-over never reached Lambda: no worker will run it.
      expect(proxy.calls().filter((c) => c.operation === 'Invoke' && c.forwardedAt !== undefined)).toEqual(
        [],
      );
    },
    STALL_MS + 30_000,
  );
});
