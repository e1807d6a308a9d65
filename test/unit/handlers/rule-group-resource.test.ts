import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createHandler } from '../../../handlers/rule-group-resource';
import type { CustomResourceResponse } from '../../../src/adapters/cloudformation/custom-resource';
import { systemClock } from '../../../src/ports/clock';
import type { SwitchResources } from '../../../src/ports/switch-resources';
import { PROVISION_RETRY_POLICY } from '../../../src/use-cases/provision-switch';
import { countingDownContext } from '../../support/events';
import { RecordingLogger } from '../../support/recording-logger';

/** A WAF that must never be called: invalid properties are refused before anything is made. */
const untouchable = new Proxy({} as SwitchResources, {
  get: (_, method) => () => Promise.reject(new Error(`${String(method)} was called`)),
});

const event = {
  RequestType: 'Create',
  ServiceToken: 'token',
  ResponseURL: 'https://example.invalid/response',
  StackId: 'stack',
  RequestId: 'r-1',
  LogicalResourceId: 'MaintenanceRuleGroup',
  ResourceType: 'Custom::MaintenanceRuleGroup',
  ResourceProperties: { ServiceToken: 'token', Name: 'waf-maintenance-u', PageStyle: 'hosted' },
} as unknown as CloudFormationCustomResourceEvent;

describe('the custom resource handler', () => {
  it('answers FAILED when it cannot read its properties, and leaves the PUT most of the time left', async () => {
    const answers: Array<{ body: CustomResourceResponse; timeoutMs: number }> = [];
    const handler = createHandler({
      waf: untouchable,
      changeLog: () => ({ record: async () => {}, find: async () => null }),
      clock: systemClock,
      policy: PROVISION_RETRY_POLICY,
      respond: async (_url, body, timeoutMs) => {
        answers.push({ body, timeoutMs });
      },
    });

    await handler(event, countingDownContext(60_000));

    expect(answers).toHaveLength(1);
    expect(answers[0]?.body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'not-created:r-1' });
    expect(answers[0]?.body.Reason).toMatch(/TableName.*RulesRevision/);
    expect(answers[0]?.timeoutMs).toBeGreaterThan(55_000);
  });

  it('never throws, even when the answer cannot be delivered: a Lambda retry would run the Create again', async () => {
    const logger = new RecordingLogger();
    const handler = createHandler({
      waf: untouchable,
      changeLog: () => ({ record: async () => {}, find: async () => null }),
      clock: systemClock,
      policy: PROVISION_RETRY_POLICY,
      respond: () => Promise.reject(new Error('connection reset')),
      logger,
    });

    await expect(handler(event, countingDownContext(60_000))).resolves.toBeUndefined();
    expect(logger.lines).toEqual([
      {
        level: 'error',
        event: 'cloudformation-answer-failed',
        fields: { requestId: 'r-1', error: new Error('connection reset') },
      },
    ]);
  });
});
