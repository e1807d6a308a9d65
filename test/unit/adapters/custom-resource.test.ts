import { putCustomResourceResponse } from '../../../src/adapters/cloudformation/cfn-response';
import {
  type CustomResourceEvent,
  failureReason,
  MAX_RESPONSE_BYTES,
  NOT_CREATED_PREFIX,
  parseSwitchProperties,
  responseBody,
  switchArnOf,
} from '../../../src/adapters/cloudformation/custom-resource';
import { DeadlineError, ValidationError } from '../../../src/domain/errors';
import { startResponseListener } from '../../support/response-listener';

const ARN =
  'arn:aws:wafv2:us-east-1:123456789012:global/rulegroup/waf-maintenance-u/33333333-3333-3333-3333-333333333333';
const provisioned = {
  arn: ARN,
  id: '33333333-3333-3333-3333-333333333333',
  name: 'waf-maintenance-u',
  ipSets: { v4: 'arn:v4', v6: 'arn:v6' },
};

function event(overrides: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: 'Create',
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
    RequestId: 'r-1',
    LogicalResourceId: 'MaintenanceRuleGroup',
    ResourceProperties: {},
    ...overrides,
  };
}

describe('the custom resource protocol', () => {
  it('answers a success with the group as PhysicalResourceId and its attributes as Data', () => {
    expect(responseBody(event(), { ok: true, provisioned })).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: ARN,
      StackId: event().StackId,
      RequestId: 'r-1',
      LogicalResourceId: 'MaintenanceRuleGroup',
      Data: {
        Arn: ARN,
        Id: provisioned.id,
        Name: 'waf-maintenance-u',
        Ipv4SetArn: 'arn:v4',
        Ipv6SetArn: 'arn:v6',
      },
    });
    const deleted = responseBody(event({ RequestType: 'Delete', PhysicalResourceId: ARN }), {
      ok: true,
      provisioned: null,
    });
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: ARN });
    expect(deleted).not.toHaveProperty('Data');
  });

  it('answers a failed Create with a marker no Delete mistakes for a group, others with their own id', () => {
    const failed = responseBody(event(), { ok: false, reason: 'no' });
    expect(failed).toMatchObject({
      Status: 'FAILED',
      Reason: 'no',
      PhysicalResourceId: `${NOT_CREATED_PREFIX}r-1`,
    });
    expect(switchArnOf(failed.PhysicalResourceId)).toBeNull();
    expect(switchArnOf(ARN)).toBe(ARN);
    const update = event({ RequestType: 'Update', PhysicalResourceId: ARN });
    expect(responseBody(update, { ok: false, reason: 'no' }).PhysicalResourceId).toBe(ARN);
  });

  it('cuts a long reason so the whole answer fits CloudFormation 4096 bytes, escapes and all', () => {
    const reason = `${'"é\\'.repeat(3_000)}end`;
    const body = responseBody(event(), { ok: false, reason });
    const size = Buffer.byteLength(JSON.stringify(body));

    expect(size).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(size).toBeGreaterThan(MAX_RESPONSE_BYTES - 16);
    expect(body.Reason?.endsWith('…')).toBe(true);
    expect(reason.startsWith(body.Reason?.slice(0, -1) ?? 'x')).toBe(true);
  });

  it('names every invalid property, accepting the strings CloudFormation sends', () => {
    expect(
      parseSwitchProperties({
        Name: 'waf-maintenance-u',
        PageStyle: 'inline',
        TableName: 't',
        RulesRevision: '1',
      }),
    ).toMatchObject({ Name: 'waf-maintenance-u', PageStyle: 'inline', RulesRevision: '1' });
    const parse = () => parseSwitchProperties({ Name: 'bad name', PageStyle: 'x', TableName: 't' });
    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow(/Name .*PageStyle .*RulesRevision/);
  });

  it('says what timed out, what AWS left unanswered, and what became of what was made', () => {
    const reason = failureReason(
      { RequestType: 'Create' },
      new DeadlineError('AWS did not answer in time.'),
      {
        unconfirmedWrites: ['CreateRuleGroup waf-maintenance-u'],
        undone: ['IP set a'],
        left: [{ resource: 'IP set b', problem: 'AccessDeniedException' }],
      },
    );
    expect(reason).toBe(
      "Create did not finish before the function's time was up: AWS did not answer in time. " +
        'AWS did not answer CreateRuleGroup waf-maintenance-u: it may have been applied; if that resource exists, delete it by hand before retrying. ' +
        'Deleted what this request had made: IP set a. ' +
        'Could not delete IP set b, which this request made (AccessDeniedException): delete it by hand.',
    );
  });
});

describe('putCustomResourceResponse', () => {
  it('PUTs the JSON with an empty content-type and its length, and resolves on 200', async () => {
    const listener = await startResponseListener();
    try {
      const body = responseBody(event(), { ok: true, provisioned });
      await putCustomResourceResponse(listener.url('/signed?X-Amz-Signature=s'), body, 2_000);
      const [put] = listener.received();
      expect(put).toMatchObject({ method: 'PUT', path: '/signed?X-Amz-Signature=s' });
      expect(put?.headers['content-type']).toBe('');
      expect(put?.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(body))));
      expect(JSON.parse(put?.body ?? '')).toEqual(body);
    } finally {
      await listener.stop();
    }
  });

  it('rejects when the URL refuses the answer, and never sends it in clear to anything but loopback', async () => {
    const listener = await startResponseListener(403);
    try {
      const body = responseBody(event(), { ok: false, reason: 'x' });
      await expect(putCustomResourceResponse(listener.url('/'), body, 2_000)).rejects.toThrow(/HTTP 403/);
      await expect(putCustomResourceResponse('http://example.com/x', body, 2_000)).rejects.toThrow(/https/);
    } finally {
      await listener.stop();
    }
  });
});
