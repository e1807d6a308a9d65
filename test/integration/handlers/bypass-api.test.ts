import { GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { createHandler as createGet } from '../../../handlers/get-bypass';
import { awsDeps } from '../../../handlers/lib/aws-deps';
import { createHandler as createUpdate } from '../../../handlers/update-bypass';
import type { ProvisionedStack } from '../../../scripts/local/provision';
import { parseIpSetArn } from '../../../src/adapters/aws/waf-arn';
import { mintToken } from '../../../src/use-cases/mint-token';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import { handlerEnv, provisionTestStack } from '../../support/stack';

const waf = new WAFV2Client({ region: 'us-east-1' });

async function storedAddresses(arn: string): Promise<string[]> {
  const { name, id, scope } = parseIpSetArn(arn);
  const out = await waf.send(new GetIPSetCommand({ Name: name, Id: id, Scope: scope }));
  return [...(out.IPSet?.Addresses ?? [])].sort();
}

describe('bypass API against moto', () => {
  let stack: ProvisionedStack;
  let admin: string;
  let operator: string;
  let update: ReturnType<typeof createUpdate>;
  let list: ReturnType<typeof createGet>;

  beforeAll(async () => {
    stack = await provisionTestStack();
    const deps = awsDeps(handlerEnv(stack));
    admin = (await mintToken(deps, { name: 'alice', role: 'admin' })).token;
    operator = (await mintToken(deps, { name: 'ops', role: 'operator' })).token;
    update = createUpdate(deps);
    list = createGet(deps);
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
  });

  afterAll(() => jest.restoreAllMocks());

  const post = (token: string, body: unknown) => invoke(update, jsonPost(token, body, '/maintenance/bypass'));
  const get = () =>
    invoke(
      list,
      httpEvent({ path: '/maintenance/bypass', headers: { authorization: `Bearer ${operator}` } }),
    );

  it('writes canonical addresses into the right IP set and lists them back', async () => {
    const res = await post(admin, { add: ['198.51.100.77/24', '2001:DB8:0::1/64'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ added: ['198.51.100.0/24', '2001:db8::/64'] });
    expect(await storedAddresses(stack.ipSetArns.ipv4)).toEqual(['198.51.100.0/24']);
    expect(await storedAddresses(stack.ipSetArns.ipv6)).toEqual(['2001:db8::/64']);

    const listed = await get();
    expect(listed.body.addresses).toEqual([
      { cidr: '198.51.100.0/24', version: 4 },
      { cidr: '2001:db8::/64', version: 6 },
    ]);

    const removed = await post(admin, { remove: ['198.51.100.0/24', '2001:db8::/64'] });
    expect(removed.body).toMatchObject({ removed: ['198.51.100.0/24', '2001:db8::/64'], count: 0 });
    expect(await storedAddresses(stack.ipSetArns.ipv4)).toEqual([]);
  });

  it('refuses a batch with one bad entry and leaves both sets as they were', async () => {
    const before = [await storedAddresses(stack.ipSetArns.ipv4), await storedAddresses(stack.ipSetArns.ipv6)];
    const res = await post(admin, { add: ['192.0.2.1', '2001:db8::2', '0.0.0.0/0'] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'add[2]' })]);
    expect([
      await storedAddresses(stack.ipSetArns.ipv4),
      await storedAddresses(stack.ipSetArns.ipv6),
    ]).toEqual(before);
  });

  it('refuses both halves of the internet, naming each, and leaves both sets as they were', async () => {
    const before = [await storedAddresses(stack.ipSetArns.ipv4), await storedAddresses(stack.ipSetArns.ipv6)];
    const res = await post(admin, { add: ['0.0.0.0/1', '128.0.0.0/1', '::/1', '8000::/1'] });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'add[0]',
      'add[1]',
      'add[2]',
      'add[3]',
    ]);
    expect([
      await storedAddresses(stack.ipSetArns.ipv4),
      await storedAddresses(stack.ipSetArns.ipv6),
    ]).toEqual(before);
  });

  it('stores a private address, answering a warning, and removes an over-broad entry put there by hand', async () => {
    const added = await post(admin, { add: ['10.1.2.3', '2001:db8:7::/48'] });
    expect(added.status).toBe(200);
    expect(added.body.warnings).toEqual([
      expect.objectContaining({ field: 'add[0]', cidr: '10.1.2.3/32', range: 'private' }),
    ]);
    expect(await storedAddresses(stack.ipSetArns.ipv4)).toContain('10.1.2.3/32');

    // As someone in the WAF console would: WAF takes a /1 without a word.
    const { name, id, scope } = parseIpSetArn(stack.ipSetArns.ipv4);
    const current = await waf.send(new GetIPSetCommand({ Name: name, Id: id, Scope: scope }));
    await waf.send(
      new UpdateIPSetCommand({
        Name: name,
        Id: id,
        Scope: scope,
        Addresses: [...(current.IPSet?.Addresses ?? []), '128.0.0.0/1'],
        LockToken: current.LockToken,
      }),
    );
    const removed = await post(admin, { remove: ['128.0.0.0/1', '10.1.2.3', '2001:db8:7::/48'] });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      removed: ['128.0.0.0/1', '10.1.2.3/32', '2001:db8:7::/48'],
      warnings: [],
    });
    expect(await storedAddresses(stack.ipSetArns.ipv4)).not.toContain('128.0.0.0/1');
  });

  it('refuses an operator and leaves the sets alone', async () => {
    const res = await post(operator, { add: ['192.0.2.77'] });
    expect(res.status).toBe(403);
    expect(await storedAddresses(stack.ipSetArns.ipv4)).not.toContain('192.0.2.77/32');
  });

  it('loses nothing when 20 admins add distinct addresses at once', async () => {
    const addresses = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? `2001:db8:20::${i}/128` : `203.0.113.${i}/32`,
    );
    const answers = await Promise.all(addresses.map((cidr) => post(admin, { add: [cidr] })));
    expect(answers.map((a) => a.status)).toEqual(addresses.map(() => 200));
    expect(answers.map((a) => a.body.added)).toEqual(addresses.map((cidr) => [cidr]));
    const stored = [
      ...(await storedAddresses(stack.ipSetArns.ipv4)),
      ...(await storedAddresses(stack.ipSetArns.ipv6)),
    ];
    for (const cidr of addresses) expect(stored).toContain(cidr);
    expect((await get()).body.count).toBe(stored.length);
  });
});
