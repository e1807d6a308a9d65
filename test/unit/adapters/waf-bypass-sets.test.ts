import {
  GetIPSetCommand,
  UpdateIPSetCommand,
  WAFV2Client,
  WAFV2ServiceException,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { parseIpSetArn } from '../../../src/adapters/aws/waf-arn';
import { WafBypassSets } from '../../../src/adapters/aws/waf-bypass-sets';
import { MisconfiguredError, StaleLockError, ThrottledError } from '../../../src/domain/errors';

// UpdateIPSet replaces every mutable field, description included; moto keeps what is omitted, so the exact
// input is asserted here.
const REF = { name: 'bypass-v4', id: '11111111-1111-1111-1111-111111111111', scope: 'CLOUDFRONT' as const };

describe('WafBypassSets request shape (aws-sdk-client-mock)', () => {
  const mock = mockClient(WAFV2Client);
  const sets = new WafBypassSets(new WAFV2Client({ region: 'us-east-1' }), {
    4: REF,
    6: { ...REF, name: 'bypass-v6' },
  });

  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());

  it('sends the addresses, the lock token and the description back on UpdateIPSet', async () => {
    mock.on(GetIPSetCommand).resolves({
      IPSet: {
        Name: REF.name,
        Id: REF.id,
        ARN: 'arn',
        IPAddressVersion: 'IPV4',
        Addresses: ['192.0.2.0/24'],
        Description: 'office',
      },
      LockToken: 'lock-1',
    });
    mock.on(UpdateIPSetCommand).resolves({ NextLockToken: 'lock-2' });
    const snapshot = await sets.get(4);
    await sets.put(snapshot, ['192.0.2.0/24', '198.51.100.0/24']);
    expect(mock.commandCalls(UpdateIPSetCommand)[0]?.args[0].input).toEqual({
      Name: 'bypass-v4',
      Scope: 'CLOUDFRONT',
      Id: REF.id,
      Addresses: ['192.0.2.0/24', '198.51.100.0/24'],
      Description: 'office',
      LockToken: 'lock-1',
    });
  });

  it.each([
    ['WAFOptimisticLockException', StaleLockError],
    ['ThrottlingException', ThrottledError],
    ['WAFNonexistentItemException', MisconfiguredError],
  ])('translates %s', async (name, type) => {
    mock
      .on(UpdateIPSetCommand)
      .rejects(new WAFV2ServiceException({ name, $fault: 'client', $metadata: {}, message: name }));
    await expect(sets.put({ version: 4, addresses: [], lockToken: 'x' }, [])).rejects.toBeInstanceOf(type);
  });
});

describe('parseIpSetArn', () => {
  it('reads name, id and scope', () => {
    expect(
      parseIpSetArn(
        'arn:aws:wafv2:us-east-1:123456789012:global/ipset/bypass-v4/11111111-1111-1111-1111-111111111111',
      ),
    ).toEqual(REF);
  });

  it('refuses a web ACL ARN', () => {
    expect(() =>
      parseIpSetArn(
        'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/11111111-1111-1111-1111-111111111111',
      ),
    ).toThrow(MisconfiguredError);
  });
});
