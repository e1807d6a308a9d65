import {
  GetIPSetCommand,
  UpdateIPSetCommand,
  type UpdateIPSetCommandInput,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import type { IpVersion } from '../../domain/cidr';
import { MisconfiguredError } from '../../domain/errors';
import type { BypassSetStore, IpSetSnapshot } from '../../ports/bypass-set-store';
import { translateAwsError } from './aws-errors';
import { type IpSetRef, wafAddress } from './waf-arn';

/**
 * UpdateIPSet replaces every mutable field of the set. Besides the addresses, that is the description:
 * this record makes the compiler fail if an SDK update adds another field we would silently drop.
 */
const CARRIED: Record<
  Exclude<keyof UpdateIPSetCommandInput, 'Name' | 'Scope' | 'Id' | 'LockToken' | 'Addresses'>,
  true
> = { Description: true };

/** The bypass sets in AWS WAFv2 (or anything speaking its protocol). */
export class WafBypassSets implements BypassSetStore {
  constructor(
    private readonly client: WAFV2Client,
    private readonly refs: Record<IpVersion, IpSetRef>,
  ) {}

  async get(version: IpVersion): Promise<IpSetSnapshot> {
    const ref = this.refs[version];
    try {
      const out = await this.client.send(new GetIPSetCommand(wafAddress(ref)));
      if (!out.IPSet || !out.LockToken)
        throw new MisconfiguredError(`GetIPSet returned no IP set for ${ref.name}`);
      return {
        version,
        addresses: out.IPSet.Addresses ?? [],
        lockToken: out.LockToken,
        description: out.IPSet.Description,
      };
    } catch (error) {
      if (error instanceof MisconfiguredError) throw error;
      throw translateAwsError(error, { operation: 'GetIPSet', resource: `IP set ${ref.name}` });
    }
  }

  async put(snapshot: IpSetSnapshot, addresses: string[]): Promise<void> {
    const ref = this.refs[snapshot.version];
    const input: UpdateIPSetCommandInput = {
      ...wafAddress(ref),
      Addresses: addresses,
      LockToken: snapshot.lockToken,
    };
    if (CARRIED.Description && snapshot.description !== undefined) input.Description = snapshot.description;
    try {
      await this.client.send(new UpdateIPSetCommand(input));
    } catch (error) {
      throw translateAwsError(error, { operation: 'UpdateIPSet', resource: `IP set ${ref.name}` });
    }
  }
}
