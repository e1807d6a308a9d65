import {
  GetWebACLCommand,
  UpdateWebACLCommand,
  type UpdateWebACLCommandInput,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { WafWebAclStore } from '../../../src/adapters/aws/waf-web-acl-store';
import { MisconfiguredError } from '../../../src/domain/errors';
import { aWebAcl } from '../../support/fakes';
import { WAF_WRITE_FAULTS, wafError } from '../../support/waf-faults';

// The web ACL store restates a team's ACL for `maintenance attach`/`detach`: the exact input of UpdateWebACL,
// which moto cannot check because it merges omitted fields instead of deleting them, and the faults.

const REF = { name: 'site', id: '33333333-3333-3333-3333-333333333333', scope: 'CLOUDFRONT' as const };

describe('WafWebAclStore request shape and faults (aws-sdk-client-mock)', () => {
  const mock = mockClient(WAFV2Client);
  const client = new WAFV2Client({ region: 'us-east-1' });
  const store = new WafWebAclStore(client, REF);

  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());

  it('sends the complete ACL back on UpdateWebACL: every field AWS would otherwise delete', async () => {
    const acl = aWebAcl({
      Description: 'the site',
      CustomResponseBodies: {
        'teapot-json': { ContentType: 'APPLICATION_JSON', Content: '{"teapot":true}' },
      },
      CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 600 } },
      ChallengeConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
      TokenDomains: ['example.com'],
      AssociationConfig: { RequestBody: { CLOUDFRONT: { DefaultSizeInspectionLimit: 'KB_64' } } },
      Capacity: 103,
      LabelNamespace: 'awswaf:123456789012:webacl:site:',
      DataProtectionConfig: {
        DataProtections: [
          { Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['x-secret'] }, Action: 'SUBSTITUTION' },
        ],
      },
    });
    mock.on(GetWebACLCommand).resolves({ WebACL: acl, LockToken: 'lock-1' });
    mock.on(UpdateWebACLCommand).resolves({ NextLockToken: 'lock-2' });

    const { acl: read, lockToken } = await store.get();
    const moved = (read.Rules ?? []).map((rule) => ({ ...rule, Priority: (rule.Priority ?? 0) + 1 }));
    await store.put({ ...read, Rules: moved }, lockToken);

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
      Rules: (acl.Rules ?? []).map((rule) => ({ ...rule, Priority: (rule.Priority ?? 0) + 1 })),
      CustomResponseBodies: acl.CustomResponseBodies,
    };
    expect(input).toEqual(expected);
    // Read-only fields of GetWebACL's answer are not part of an update.
    expect(input).not.toHaveProperty('ARN');
    expect(input).not.toHaveProperty('Capacity');
    expect(input).not.toHaveProperty('LabelNamespace');
  });

  it.each(WAF_WRITE_FAULTS)('translates %s into the domain error', async (name, status, type) => {
    mock.on(UpdateWebACLCommand).rejects(wafError(name, status));
    await expect(store.put(aWebAcl(), 'lock')).rejects.toBeInstanceOf(type);
  });

  it('translates WAFNonexistentItemException on read into MisconfiguredError', async () => {
    mock.on(GetWebACLCommand).rejects(wafError('WAFNonexistentItemException'));
    await expect(store.get()).rejects.toBeInstanceOf(MisconfiguredError);
  });
});
