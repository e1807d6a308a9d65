import { GetWebACLCommand, UpdateWebACLCommand, WAFV2Client, type WebACL } from '@aws-sdk/client-wafv2';
import { createHandler as createGet } from '../../../handlers/get-maintenance';
import { awsDeps } from '../../../handlers/lib/aws-deps';
import { createHandler as createSet } from '../../../handlers/set-maintenance';
import type { ProvisionedStack } from '../../../scripts/local/provision';
import { parseWebAclArn } from '../../../src/adapters/aws/waf-arn';
import { toUpdateInput } from '../../../src/adapters/aws/waf-web-acl-store';
import { mintToken } from '../../../src/use-cases/mint-token';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import { FakeEdge } from '../../support/fakes';
import { handlerEnv, provisionTestStack } from '../../support/stack';

const waf = new WAFV2Client({ region: 'us-east-1' });

async function readAcl(stack: ProvisionedStack) {
  const ref = parseWebAclArn(stack.webAclArn);
  const out = await waf.send(new GetWebACLCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope }));
  return { acl: out.WebACL as WebACL, lockToken: out.LockToken as string };
}

/** Adds what a site team might have configured themselves: a rule below ours and a body of their own. */
async function addForeignConfiguration(stack: ProvisionedStack) {
  const { acl, lockToken } = await readAcl(stack);
  const foreign: WebACL = {
    ...acl,
    Rules: [
      ...(acl.Rules ?? []),
      {
        Name: 'geo-block',
        Priority: 20,
        Action: { Block: { CustomResponse: { ResponseCode: 451, CustomResponseBodyKey: 'legal' } } },
        VisibilityConfig: {
          SampledRequestsEnabled: false,
          CloudWatchMetricsEnabled: true,
          MetricName: 'geo',
        },
        Statement: { GeoMatchStatement: { CountryCodes: ['KP'] } },
      },
    ],
    CustomResponseBodies: {
      ...acl.CustomResponseBodies,
      legal: { ContentType: 'TEXT_PLAIN', Content: 'Unavailable for legal reasons' },
    },
    CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 900 } },
  };
  await waf.send(new UpdateWebACLCommand(toUpdateInput(parseWebAclArn(stack.webAclArn), foreign, lockToken)));
  return (await readAcl(stack)).acl;
}

/** Everything in the ACL except what the switch owns (its rules' action and label, its body's content). */
function foreignPart(acl: WebACL) {
  const { Rules, CustomResponseBodies, ...rest } = acl;
  return {
    rest,
    rules: Rules?.map((r) =>
      r.Name?.startsWith('maintenance-') ? { ...r, Action: undefined, RuleLabels: undefined } : r,
    ),
    bodies: Object.fromEntries(
      Object.entries(CustomResponseBodies ?? {}).filter(([k]) => !k.startsWith('maintenance-')),
    ),
  };
}

describe('maintenance API against moto', () => {
  let stack: ProvisionedStack;
  let operator: string;
  let setHandler: ReturnType<typeof createSet>;
  let getHandler: ReturnType<typeof createGet>;

  beforeAll(async () => {
    stack = await provisionTestStack();
    const deps = awsDeps(handlerEnv(stack));
    operator = (await mintToken(deps, { name: 'deploy-bot', role: 'operator' })).token;
    setHandler = createSet(deps);
    // The edge is looked at in the doctor tests; here the status itself is under test.
    getHandler = createGet({ ...deps, edge: new FakeEdge(stack.webAclArn) });
  });

  const status = () => invoke(getHandler, httpEvent({ headers: { authorization: `Bearer ${operator}` } }));

  it('turns maintenance on and off, leaving every foreign rule and setting exactly as it was', async () => {
    const before = await addForeignConfiguration(stack);

    const on = await invoke(
      setHandler,
      jsonPost(operator, { enabled: true, reason: 'Database upgrade', retryAfterSeconds: 1800 }),
    );
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({
      enabled: true,
      action: 'BLOCK',
      retryAfterSeconds: 1800,
      changedBy: 'deploy-bot',
      changed: true,
    });

    const blocked = (await readAcl(stack)).acl;
    const rule = blocked.Rules?.find((r) => r.Name === 'maintenance-block');
    expect(rule?.Priority).toBe(1);
    const json = blocked.Rules?.find((r) => r.Name === 'maintenance-json');
    expect(json?.Priority).toBe(0);
    expect(json?.Action?.Block?.CustomResponse?.CustomResponseBodyKey).toBe('maintenance-json');
    expect(JSON.parse(blocked.CustomResponseBodies?.['maintenance-json']?.Content ?? '{}')).toMatchObject({
      status: 503,
      detail: 'Database upgrade',
      retryAfterSeconds: 1800,
    });
    expect(rule?.Action?.Block?.CustomResponse).toMatchObject({
      ResponseCode: 503,
      CustomResponseBodyKey: 'maintenance-html',
      ResponseHeaders: expect.arrayContaining([{ Name: 'Retry-After', Value: '1800' }]),
    });
    expect(blocked.CustomResponseBodies?.['maintenance-html']?.Content).toContain('Database upgrade');
    expect(foreignPart(blocked)).toEqual(foreignPart(before));

    const off = await invoke(setHandler, jsonPost(operator, { enabled: false }));
    expect(off.body).toMatchObject({ enabled: false, action: 'COUNT', changed: true });
    const counted = (await readAcl(stack)).acl;
    expect(counted.Rules?.find((r) => r.Name === 'maintenance-block')?.Action).toEqual({ Count: {} });
    expect(foreignPart(counted)).toEqual(foreignPart(before));
  });

  it('makes no write when the ACL is already as asked', async () => {
    await invoke(setHandler, jsonPost(operator, { enabled: true, retryAfterSeconds: 60 }));
    const { lockToken } = await readAcl(stack);
    const again = await invoke(setHandler, jsonPost(operator, { enabled: true, retryAfterSeconds: 60 }));
    expect(again.body.changed).toBe(false);
    expect((await readAcl(stack)).lockToken).toBe(lockToken);
  });

  it('changes nothing for refused requests', async () => {
    const { acl, lockToken } = await readAcl(stack);
    const refused = await Promise.all([
      invoke(setHandler, jsonPost(undefined, { enabled: !acl.Rules?.[0]?.Action?.Block })),
      invoke(setHandler, jsonPost(`wmt_${'q'.repeat(43)}`, { enabled: true, retryAfterSeconds: 7 })),
      invoke(setHandler, jsonPost(operator, { enabled: true, retryAfterSeconds: 7, extra: 1 })),
      invoke(setHandler, jsonPost(operator, '{"enabled":')),
    ]);
    expect(refused.map((r) => r.status)).toEqual([401, 401, 400, 400]);
    expect((await readAcl(stack)).lockToken).toBe(lockToken);
  });

  it('survives 12 simultaneous toggles: every one answered, no rule lost or duplicated, status agrees with the ACL', async () => {
    const before = await readAcl(stack);
    const requests = Array.from({ length: 12 }, (_, i) => ({
      enabled: i % 2 === 0,
      reason: `race ${i}`,
      retryAfterSeconds: 100 + i,
    }));
    const answers = await Promise.all(requests.map((body) => invoke(setHandler, jsonPost(operator, body))));

    expect(answers.map((a) => a.status)).toEqual(requests.map(() => 200));
    const after = (await readAcl(stack)).acl;
    const names = after.Rules?.map((r) => r.Name) ?? [];
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n === 'maintenance-block')).toHaveLength(1);
    expect(foreignPart(after)).toEqual(foreignPart(before.acl));

    const now = await status();
    const blocking = after.Rules?.find((r) => r.Name === 'maintenance-block')?.Action?.Block;
    expect(now.body.enabled).toBe(blocking !== undefined);
    // The reason shown belongs to the very request whose write is in the ACL.
    const winner = requests[Number(String(now.body.reason).replace('race ', ''))];
    expect(winner?.enabled).toBe(now.body.enabled);
    if (winner?.enabled) {
      expect(now.body.retryAfterSeconds).toBe(winner.retryAfterSeconds);
      expect(blocking?.CustomResponse?.ResponseHeaders).toContainEqual({
        Name: 'Retry-After',
        Value: String(winner.retryAfterSeconds),
      });
    }
  });
});
