import {
  CreateIPSetCommand,
  CreateRuleGroupCommand,
  DeleteIPSetCommand,
  DeleteRuleGroupCommand,
  GetIPSetCommand,
  GetRuleGroupCommand,
  UpdateRuleGroupCommand,
  WAFAssociatedItemException,
  WAFDuplicateItemException,
  WAFNonexistentItemException,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { MisconfiguredError } from '../../domain/errors';
import type { RuleGroupDocument } from '../../domain/rule-group';
import type { VersionedRuleGroup } from '../../ports/rule-group-store';
import {
  type CreatedResource,
  type IpAddressVersion,
  StillReferencedError,
  type SwitchResources,
} from '../../ports/switch-resources';
import { translateAwsError } from './aws-errors';
import { parseIpSetArn, parseRuleGroupArn, wafAddress } from './waf-arn';
import { toUpdateRuleGroupInput } from './waf-rule-group-store';

/** Every resource of the switch is a CloudFront one, so it lives in us-east-1 (see clients.ts). */
const SCOPE = 'CLOUDFRONT';

function created(summary: { ARN?: string; Id?: string; Name?: string } | undefined, what: string) {
  if (!summary?.ARN || !summary.Id || !summary.Name) {
    throw new MisconfiguredError(`${what} answered without the ARN, Id and Name of what it created`);
  }
  return { arn: summary.ARN, id: summary.Id, name: summary.Name };
}

/**
 * Turns what WAF says about the resource itself into the port's terms: an existing name
 * (WAFDuplicateItemException) and a reference that prevents a delete (WAFAssociatedItemException). Both
 * are matched on the SDK's own classes; everything else goes through translateAwsError.
 */
function translate(error: unknown, operation: string, resource: string): Error {
  if (error instanceof WAFDuplicateItemException) {
    return new MisconfiguredError(
      `${resource} already exists (${operation}: WAFDuplicateItemException). It belongs to another stack or to an earlier deploy of this stage: delete it, or deploy under another stage.`,
      { cause: error },
    );
  }
  if (error instanceof WAFAssociatedItemException) {
    return new StillReferencedError(
      `${resource} is still referenced (${operation}: WAFAssociatedItemException).`,
      {
        cause: error,
      },
    );
  }
  return translateAwsError(error, { operation, resource });
}

/** The switch's rule group and bypass IP sets in AWS WAFv2 (or any endpoint speaking its protocol). */
export class WafSwitchResources implements SwitchResources {
  constructor(private readonly client: WAFV2Client) {}

  async createIpSet(name: string, version: IpAddressVersion, description: string): Promise<CreatedResource> {
    try {
      const out = await this.client.send(
        new CreateIPSetCommand({
          Name: name,
          Scope: SCOPE,
          IPAddressVersion: version,
          Addresses: [],
          Description: description,
        }),
      );
      return created(out.Summary, 'CreateIPSet');
    } catch (error) {
      throw translate(error, 'CreateIPSet', `IP set ${name}`);
    }
  }

  async createRuleGroup(
    name: string,
    capacity: number,
    document: RuleGroupDocument,
  ): Promise<CreatedResource> {
    try {
      const out = await this.client.send(
        new CreateRuleGroupCommand({ Name: name, Scope: SCOPE, Capacity: capacity, ...document }),
      );
      return created(out.Summary, 'CreateRuleGroup');
    } catch (error) {
      throw translate(error, 'CreateRuleGroup', `rule group ${name}`);
    }
  }

  async getRuleGroup(arn: string): Promise<VersionedRuleGroup | null> {
    const ref = parseRuleGroupArn(arn);
    try {
      const out = await this.client.send(new GetRuleGroupCommand(wafAddress(ref)));
      if (!out.RuleGroup || !out.LockToken) {
        throw new MisconfiguredError(`GetRuleGroup returned no rule group for ${ref.name}`);
      }
      return { group: out.RuleGroup, lockToken: out.LockToken };
    } catch (error) {
      if (error instanceof WAFNonexistentItemException) return null;
      throw translate(error, 'GetRuleGroup', `rule group ${ref.name}`);
    }
  }

  async updateRuleGroup(arn: string, document: RuleGroupDocument, lockToken: string): Promise<void> {
    const ref = parseRuleGroupArn(arn);
    try {
      await this.client.send(new UpdateRuleGroupCommand(toUpdateRuleGroupInput(ref, document, lockToken)));
    } catch (error) {
      throw translate(error, 'UpdateRuleGroup', `rule group ${ref.name}`);
    }
  }

  async deleteRuleGroup(arn: string, lockToken: string): Promise<boolean> {
    const ref = parseRuleGroupArn(arn);
    try {
      await this.client.send(new DeleteRuleGroupCommand({ ...wafAddress(ref), LockToken: lockToken }));
      return true;
    } catch (error) {
      if (error instanceof WAFNonexistentItemException) return false;
      throw translate(error, 'DeleteRuleGroup', `rule group ${ref.name}`);
    }
  }

  async deleteIpSet(arn: string): Promise<boolean> {
    const ref = parseIpSetArn(arn);
    let operation = 'GetIPSet';
    try {
      const out = await this.client.send(new GetIPSetCommand(wafAddress(ref)));
      operation = 'DeleteIPSet';
      await this.client.send(new DeleteIPSetCommand({ ...wafAddress(ref), LockToken: out.LockToken }));
      return true;
    } catch (error) {
      if (error instanceof WAFNonexistentItemException) return false;
      throw translate(error, operation, `IP set ${ref.name}`);
    }
  }
}
