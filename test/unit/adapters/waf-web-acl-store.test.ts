import {
  GetWebACLCommand,
  UpdateWebACLCommand,
  type UpdateWebACLCommandInput,
  WAFV2Client,
  WAFV2ServiceException,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { WafWebAclStore } from '../../../src/adapters/aws/waf-web-acl-store';
import { Deadline } from '../../../src/domain/deadline';
import {
  ConflictError,
  MisconfiguredError,
  StaleLockError,
  ThrottledError,
  UpstreamError,
} from '../../../src/domain/errors';
import { applyMaintenance } from '../../../src/domain/maintenance-rules';
import { setMaintenanceMode } from '../../../src/use-cases/set-maintenance-mode';
import { aWebAcl, FakeClock, InMemoryChangeLog } from '../../support/fakes';

// Faults moto cannot produce (throttling, 5xx, a lock token that keeps changing), and the exact input of
// UpdateWebACL, which moto cannot check because it merges omitted fields instead of deleting them.

const REF = { name: 'site', id: '33333333-3333-3333-3333-333333333333', scope: 'CLOUDFRONT' as const };

function awsError(name: string, status = 400) {
  return new WAFV2ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

describe('WafWebAclStore request shape and faults (aws-sdk-client-mock)', () => {
  const mock = mockClient(WAFV2Client);
  const client = new WAFV2Client({ region: 'us-east-1' });
  const store = new WafWebAclStore(client, REF);

  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());

  it('sends the complete ACL back on UpdateWebACL: every field AWS would otherwise delete', async () => {
    const acl = aWebAcl({
      DataProtectionConfig: {
        DataProtections: [
          { Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['x-secret'] }, Action: 'SUBSTITUTION' },
        ],
      },
    });
    mock.on(GetWebACLCommand).resolves({ WebACL: acl, LockToken: 'lock-1' });
    mock.on(UpdateWebACLCommand).resolves({ NextLockToken: 'lock-2' });

    const { acl: read, lockToken } = await store.get();
    await store.put(
      applyMaintenance(read, { enabled: true, retryAfterSeconds: 600, reason: 'Upgrade' }, 'c1'),
      lockToken,
    );

    const calls = mock.commandCalls(UpdateWebACLCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input as UpdateWebACLCommandInput;
    const expected: UpdateWebACLCommandInput = {
      Name: 'site',
      Scope: 'CLOUDFRONT',
      Id: REF.id,
      LockToken: 'lock-1',
      DefaultAction: acl.DefaultAction,
      Description: acl.Description,
      VisibilityConfig: acl.VisibilityConfig,
      DataProtectionConfig: acl.DataProtectionConfig,
      CaptchaConfig: acl.CaptchaConfig,
      ChallengeConfig: acl.ChallengeConfig,
      TokenDomains: acl.TokenDomains,
      AssociationConfig: acl.AssociationConfig,
      Rules: [
        {
          ...acl.Rules?.[0],
          Action: {
            Block: {
              CustomResponse: {
                ResponseCode: 503,
                CustomResponseBodyKey: 'maintenance-html',
                ResponseHeaders: [
                  { Name: 'Retry-After', Value: '600' },
                  { Name: 'Cache-Control', Value: 'no-store' },
                ],
              },
            },
          },
          RuleLabels: [{ Name: 'maintenance-switch:change:c1' }],
        },
        acl.Rules?.[1] as NonNullable<typeof acl.Rules>[number],
      ] as UpdateWebACLCommandInput['Rules'],
      CustomResponseBodies: {
        'maintenance-html': {
          ContentType: 'TEXT_HTML',
          Content: expect.stringContaining('<p dir="auto">Upgrade</p>'),
        },
        'teapot-json': acl.CustomResponseBodies?.['teapot-json'] as never,
      },
    };
    expect(input).toEqual(expected);
    // Read-only fields of GetWebACL's answer are not part of an update.
    expect(input).not.toHaveProperty('ARN');
    expect(input).not.toHaveProperty('Capacity');
    expect(input).not.toHaveProperty('LabelNamespace');
  });

  it.each([
    ['WAFOptimisticLockException', 400, StaleLockError],
    ['ThrottlingException', 400, ThrottledError],
    ['WAFInternalErrorException', 500, UpstreamError],
    ['AccessDeniedException', 403, UpstreamError],
  ])('translates %s into the domain error', async (name, status, type) => {
    mock.on(UpdateWebACLCommand).rejects(awsError(name, status));
    await expect(store.put(aWebAcl(), 'lock')).rejects.toBeInstanceOf(type);
  });

  it('translates WAFNonexistentItemException on read into MisconfiguredError', async () => {
    mock.on(GetWebACLCommand).rejects(awsError('WAFNonexistentItemException'));
    await expect(store.get()).rejects.toBeInstanceOf(MisconfiguredError);
  });

  it('answers ConflictError when the lock token keeps changing, after re-reading each time', async () => {
    let n = 0;
    mock.on(GetWebACLCommand).callsFake(async () => ({ WebACL: aWebAcl(), LockToken: `lock-${++n}` }));
    mock.on(UpdateWebACLCommand).rejects(awsError('WAFOptimisticLockException'));
    const clock = new FakeClock();
    const run = setMaintenanceMode(
      {
        webAcl: store,
        changes: new InMemoryChangeLog(),
        clock,
        policy: { budgetMs: 5_000, baseDelayMs: 50, maxDelayMs: 500, random: () => 1 },
        deadline: Deadline.in(clock, 27_000),
      },
      { enabled: true, actor: 'a' },
    );
    await expect(run).rejects.toBeInstanceOf(ConflictError);
    const gets = mock.commandCalls(GetWebACLCommand).length;
    const updates = mock.commandCalls(UpdateWebACLCommand);
    expect(gets).toBe(updates.length);
    expect(updates.map((c) => c.args[0].input.LockToken)).toEqual(updates.map((_c, i) => `lock-${i + 1}`));
  });

  it('keeps retrying throttled writes and succeeds once AWS lets it through', async () => {
    mock.on(GetWebACLCommand).resolves({ WebACL: aWebAcl(), LockToken: 'lock' });
    mock
      .on(UpdateWebACLCommand)
      .rejectsOnce(awsError('ThrottlingException'))
      .rejectsOnce(awsError('ThrottlingException'))
      .resolves({ NextLockToken: 'next' });
    const clock = new FakeClock();
    const result = await setMaintenanceMode(
      {
        webAcl: store,
        changes: new InMemoryChangeLog(),
        clock,
        policy: { budgetMs: 5_000, baseDelayMs: 50, maxDelayMs: 500, random: () => 0.5 },
        deadline: Deadline.in(clock, 27_000),
      },
      { enabled: true, actor: 'a' },
    );
    expect(result.changed).toBe(true);
    expect(mock.commandCalls(UpdateWebACLCommand)).toHaveLength(3);
  });
});
