import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { parseIpSetArn } from '../../../src/adapters/aws/waf-arn';
import { WafBypassSets } from '../../../src/adapters/aws/waf-bypass-sets';
import { MisconfiguredError, StaleLockError } from '../../../src/domain/errors';
import { provisionTestStack } from '../../support/stack';

const waf = new WAFV2Client({ region: 'us-east-1' });

describe('WafBypassSets against moto', () => {
  it('reads and writes each IP set with its lock token, keeping the description', async () => {
    const stack = await provisionTestStack();
    const sets = new WafBypassSets(waf, {
      4: parseIpSetArn(stack.ipSetArns.ipv4),
      6: parseIpSetArn(stack.ipSetArns.ipv6),
    });
    const v4 = await sets.get(4);
    expect(v4).toMatchObject({ version: 4, addresses: [], description: expect.stringContaining('IPv4') });
    await sets.put(v4, ['192.0.2.0/24']);
    const after = await sets.get(4);
    expect(after).toMatchObject({ addresses: ['192.0.2.0/24'], description: v4.description });
    expect(after.lockToken).not.toBe(v4.lockToken);
    expect((await sets.get(6)).addresses).toEqual([]);
  });

  it('refuses a write with a stale lock token and keeps the newer content', async () => {
    const stack = await provisionTestStack();
    const sets = new WafBypassSets(waf, {
      4: parseIpSetArn(stack.ipSetArns.ipv4),
      6: parseIpSetArn(stack.ipSetArns.ipv6),
    });
    const stale = await sets.get(6);
    await sets.put(stale, ['2001:db8::/32']);
    await expect(sets.put(stale, ['2001:db8:1::/48'])).rejects.toBeInstanceOf(StaleLockError);
    expect((await sets.get(6)).addresses).toEqual(['2001:db8::/32']);
  });

  it('reports a missing set as MisconfiguredError', async () => {
    const ref = { name: 'gone', id: '00000000-0000-0000-0000-000000000000', scope: 'CLOUDFRONT' as const };
    await expect(new WafBypassSets(waf, { 4: ref, 6: ref }).get(4)).rejects.toBeInstanceOf(
      MisconfiguredError,
    );
  });
});
