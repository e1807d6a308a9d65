import {
  GetWebACLCommand,
  UpdateWebACLCommand,
  type UpdateWebACLCommandInput,
  type WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import { MisconfiguredError } from '../../domain/errors';
import type { VersionedWebAcl, WebAclStore } from '../../ports/web-acl-store';
import { translateAwsError } from './aws-errors';
import { type WebAclRef, wafAddress } from './waf-arn';

/**
 * Every field of UpdateWebACL that describes the ACL (as opposed to addressing it). UpdateWebACL replaces
 * the whole ACL in AWS, so each must be sent back as read; this record makes the compiler fail when an SDK
 * update adds a field we do not carry yet, instead of the field being silently deleted in production.
 */
const CARRIED_FIELDS: Record<
  Exclude<keyof UpdateWebACLCommandInput, 'Name' | 'Scope' | 'Id' | 'LockToken'>,
  true
> = {
  DefaultAction: true,
  Description: true,
  Rules: true,
  VisibilityConfig: true,
  DataProtectionConfig: true,
  CustomResponseBodies: true,
  CaptchaConfig: true,
  ChallengeConfig: true,
  TokenDomains: true,
  AssociationConfig: true,
  OnSourceDDoSProtectionConfig: true,
  ApplicationConfig: true,
  MonetizationConfig: true,
};

/** Builds the complete UpdateWebACL input from a (modified) ACL document. */
export function toUpdateInput(ref: WebAclRef, acl: WebACL, lockToken: string): UpdateWebACLCommandInput {
  const input: Record<string, unknown> = {
    ...wafAddress(ref),
    LockToken: lockToken,
  };
  for (const field of Object.keys(CARRIED_FIELDS)) {
    const value = (acl as unknown as Record<string, unknown>)[field];
    if (value !== undefined) input[field] = value;
  }
  return input as unknown as UpdateWebACLCommandInput;
}

/** The switch's web ACL in AWS WAFv2 (or any endpoint speaking its protocol). */
export class WafWebAclStore implements WebAclStore {
  constructor(
    private readonly client: WAFV2Client,
    private readonly ref: WebAclRef,
  ) {}

  async get(): Promise<VersionedWebAcl> {
    try {
      const out = await this.client.send(new GetWebACLCommand(wafAddress(this.ref)));
      if (!out.WebACL || !out.LockToken)
        throw new MisconfiguredError(`GetWebACL returned no ACL for ${this.ref.name}`);
      return { acl: out.WebACL, lockToken: out.LockToken };
    } catch (error) {
      if (error instanceof MisconfiguredError) throw error;
      throw translateAwsError(error, { operation: 'GetWebACL', resource: `web ACL ${this.ref.name}` });
    }
  }

  async put(acl: WebACL, lockToken: string): Promise<void> {
    try {
      await this.client.send(new UpdateWebACLCommand(toUpdateInput(this.ref, acl, lockToken)));
    } catch (error) {
      throw translateAwsError(error, { operation: 'UpdateWebACL', resource: `web ACL ${this.ref.name}` });
    }
  }
}
