import { CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { parseWebAclArn } from '../../../src/adapters/aws/waf-arn';
import { WafWebAclStore } from '../../../src/adapters/aws/waf-web-acl-store';
import { MisconfiguredError, StaleLockError } from '../../../src/domain/errors';
import { applyMaintenance } from '../../../src/domain/maintenance-rules';
import { aWebAcl } from '../../support/fakes';
import { provisionTestStack } from '../../support/stack';

describe('WafWebAclStore against moto', () => {
  const waf = new WAFV2Client({ region: 'us-east-1' });

  it('reads the provisioned ACL with its lock token', async () => {
    const stack = await provisionTestStack();
    const store = new WafWebAclStore(waf, parseWebAclArn(stack.webAclArn));
    const { acl, lockToken } = await store.get();
    expect(lockToken).toEqual(expect.any(String));
    expect(acl.Rules?.map((r) => r.Name)).toEqual(['maintenance-json', 'maintenance-block']);
  });

  it('refuses a write with a stale lock token as StaleLockError, leaving the ACL as it was', async () => {
    const stack = await provisionTestStack();
    const store = new WafWebAclStore(waf, parseWebAclArn(stack.webAclArn));
    const first = await store.get();
    await store.put(
      applyMaintenance(first.acl, { enabled: true, retryAfterSeconds: 60, reason: null }, 'a'),
      first.lockToken,
    );
    const afterFirst = await store.get();
    const stale = store.put(
      applyMaintenance(first.acl, { enabled: false, retryAfterSeconds: 60, reason: null }, 'b'),
      first.lockToken,
    );
    await expect(stale).rejects.toBeInstanceOf(StaleLockError);
    expect((await store.get()).acl).toEqual(afterFirst.acl);
  });

  it('reports a missing ACL as MisconfiguredError', async () => {
    const store = new WafWebAclStore(waf, {
      name: 'nope',
      scope: 'CLOUDFRONT',
      id: '00000000-0000-0000-0000-000000000000',
    });
    await expect(store.get()).rejects.toBeInstanceOf(MisconfiguredError);
  });

  it('toggles a web ACL full of foreign rules and settings without disturbing them', async () => {
    // moto would keep omitted fields even if we dropped them (AWS deletes them): the exact UpdateWebACL
    // input is asserted in test/unit/adapters/waf-web-acl-store.test.ts. Here moto checks the shapes we send.
    const stack = await provisionTestStack();
    const provisioned = await new WafWebAclStore(waf, parseWebAclArn(stack.webAclArn)).get();
    const rich = aWebAcl({ Rules: [...(provisioned.acl.Rules ?? []), ...(aWebAcl().Rules?.slice(1) ?? [])] });
    const created = await waf.send(
      new CreateWebACLCommand({
        Name: `rich-${stack.stage}`,
        Scope: 'CLOUDFRONT',
        DefaultAction: rich.DefaultAction,
        Description: rich.Description,
        VisibilityConfig: rich.VisibilityConfig,
        Rules: rich.Rules,
        CustomResponseBodies: rich.CustomResponseBodies,
        CaptchaConfig: rich.CaptchaConfig,
        ChallengeConfig: rich.ChallengeConfig,
        TokenDomains: rich.TokenDomains,
        AssociationConfig: rich.AssociationConfig,
      }),
    );
    const store = new WafWebAclStore(waf, parseWebAclArn(created.Summary?.ARN ?? ''));
    const before = await store.get();
    await store.put(
      applyMaintenance(before.acl, { enabled: true, retryAfterSeconds: 60, reason: null }, 'x'),
      before.lockToken,
    );
    const { acl: after } = await store.get();
    const foreign = (acl: typeof after) => acl.Rules?.filter((r) => !r.Name?.startsWith('maintenance-'));
    expect(foreign(after)).toEqual(foreign(before.acl));
    expect(foreign(after)?.map((r) => r.Name)).toEqual(['rate-limit']);
    expect(after.CustomResponseBodies?.['teapot-json']).toEqual(
      before.acl.CustomResponseBodies?.['teapot-json'],
    );
    expect(after.TokenDomains).toEqual(['example.com']);
    expect(after.Rules?.slice(0, 2).map((r) => r.Action?.Block?.CustomResponse?.ResponseCode)).toEqual([
      503, 503,
    ]);
  });
});
