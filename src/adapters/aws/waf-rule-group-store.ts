import {
  GetRuleGroupCommand,
  UpdateRuleGroupCommand,
  type UpdateRuleGroupCommandInput,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { MisconfiguredError } from '../../domain/errors';
import type { RuleGroupDocument } from '../../domain/rule-group';
import type { RuleGroupStore, VersionedRuleGroup } from '../../ports/rule-group-store';
import { translateAwsError } from './aws-errors';
import { type WafRef, wafAddress } from './waf-arn';

/**
 * Every field of UpdateRuleGroup that describes the group (as opposed to addressing it), and where the
 * document holds it. UpdateRuleGroup replaces the group's whole mutable specification, so each must be
 * sent: this record makes the compiler fail when an SDK update adds a field, so that someone decides what
 * the switch's group holds there, instead of it being silently deleted in production.
 */
const CARRIED_FIELDS: Record<
  Exclude<keyof UpdateRuleGroupCommandInput, 'Name' | 'Scope' | 'Id' | 'LockToken'>,
  keyof RuleGroupDocument | 'never set'
> = {
  Description: 'Description',
  Rules: 'Rules',
  VisibilityConfig: 'VisibilityConfig',
  CustomResponseBodies: 'CustomResponseBodies',
  // Only rules with a Monetize action need it, and the switch's rules Count or Block.
  MonetizationConfig: 'never set',
};

/** The complete UpdateRuleGroup input for a document. */
export function toUpdateRuleGroupInput(
  ref: WafRef,
  document: RuleGroupDocument,
  lockToken: string,
): UpdateRuleGroupCommandInput {
  const input: Record<string, unknown> = {
    ...wafAddress(ref),
    LockToken: lockToken,
  };
  for (const [field, from] of Object.entries(CARRIED_FIELDS)) {
    if (from !== 'never set') input[field] = document[from];
  }
  return input as unknown as UpdateRuleGroupCommandInput;
}

/** The switch's rule group in AWS WAFv2 (or any endpoint speaking its protocol). */
export class WafRuleGroupStore implements RuleGroupStore {
  constructor(
    private readonly client: WAFV2Client,
    private readonly ref: WafRef,
  ) {}

  async get(): Promise<VersionedRuleGroup> {
    try {
      const out = await this.client.send(new GetRuleGroupCommand(wafAddress(this.ref)));
      if (!out.RuleGroup || !out.LockToken) {
        throw new MisconfiguredError(`GetRuleGroup returned no rule group for ${this.ref.name}`);
      }
      return { group: out.RuleGroup, lockToken: out.LockToken };
    } catch (error) {
      throw translateAwsError(error, { operation: 'GetRuleGroup', resource: `rule group ${this.ref.name}` });
    }
  }

  async put(document: RuleGroupDocument, lockToken: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateRuleGroupCommand(toUpdateRuleGroupInput(this.ref, document, lockToken)),
      );
    } catch (error) {
      throw translateAwsError(error, {
        operation: 'UpdateRuleGroup',
        resource: `rule group ${this.ref.name}`,
      });
    }
  }
}
