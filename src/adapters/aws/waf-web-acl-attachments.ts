import {
  ListRuleGroupsCommand,
  type RuleGroupSummary,
  WAFLimitsExceededException,
  WAFNonexistentItemException,
  type WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import { DomainError, MisconfiguredError } from '../../domain/errors';
import { WebAclLimitError } from '../../domain/web-acl-attachment';
import type { VersionedWebAcl, WebAclStore } from '../../ports/web-acl-store';
import { translateAwsError } from './aws-errors';
import { parseWebAclArn, type WebAclRef } from './waf-arn';
import { WafWebAclStore } from './waf-web-acl-store';

/** A generous bound on pages, so an emulator that keeps answering the same marker cannot loop forever. */
const MAX_PAGES = 1_000;

/**
 * The CloudFront-scope rule group named `name`, walked page by page with NextMarker: an account (or an
 * emulator shared by many stages) can hold more than one page of them.
 */
async function findRuleGroup(client: WAFV2Client, name: string): Promise<RuleGroupSummary | undefined> {
  let marker: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await client.send(
      new ListRuleGroupsCommand({ Scope: 'CLOUDFRONT', Limit: 100, NextMarker: marker }),
    );
    const found = page.RuleGroups?.find((group) => group.Name === name);
    if (found || !page.NextMarker || page.NextMarker === marker) return found;
    marker = page.NextMarker;
  }
  return undefined;
}

/**
 * A team's own web ACL, by ARN, read and written whole through WafWebAclStore (so UpdateWebACL carries
 * every field of the read). Only its failures are put in other words: this ACL is the team's, not the
 * stack's, so "does not exist" points at the ARN given, and a WAF limit is told apart from other refusals.
 */
class TeamWebAcl implements WebAclStore {
  private readonly store: WafWebAclStore;

  constructor(
    client: WAFV2Client,
    private readonly ref: WebAclRef,
  ) {
    this.store = new WafWebAclStore(client, ref);
  }

  async get(): Promise<VersionedWebAcl> {
    try {
      return await this.store.get();
    } catch (error) {
      throw this.explained(error, 'GetWebACL');
    }
  }

  async put(acl: WebACL, lockToken: string): Promise<void> {
    try {
      await this.store.put(acl, lockToken);
    } catch (error) {
      throw this.explained(error, 'UpdateWebACL');
    }
  }

  private explained(error: unknown, operation: string): unknown {
    // WafWebAclStore has already translated the SDK's exception; the original is its cause.
    const sdk = error instanceof DomainError ? error.cause : error;
    const { name, scope } = this.ref;
    if (sdk instanceof WAFNonexistentItemException) {
      return new MisconfiguredError(
        `Web ACL ${name} (scope ${scope}) does not exist, or these credentials cannot see it (${operation}: WAFNonexistentItemException); check --web-acl.`,
        { cause: sdk },
      );
    }
    if (sdk instanceof WAFLimitsExceededException) {
      return new WebAclLimitError(`${operation} on web ACL ${name} exceeds a WAF limit.`, { cause: sdk });
    }
    return error;
  }
}

/**
 * What `maintenance attach` and `detach` need from WAF: the stage's rule group, found by name, and the
 * team's web ACL, by ARN. The SDK honours AWS_ENDPOINT_URL, so the same calls reach AWS or an emulator.
 *
 * @example
 * const waf = new WafWebAclAttachments(new WAFV2Client({ region: 'us-east-1' }));
 * const groupArn = await waf.ruleGroupArn('waf-maintenance-prod'); // undefined when there is none
 */
export class WafWebAclAttachments {
  constructor(private readonly client: WAFV2Client) {}

  async ruleGroupArn(name: string): Promise<string | undefined> {
    try {
      return (await findRuleGroup(this.client, name))?.ARN;
    } catch (error) {
      throw translateAwsError(error, {
        operation: 'ListRuleGroups',
        resource: 'rule groups (scope CLOUDFRONT)',
      });
    }
  }

  webAcl(arn: string): WebAclStore {
    return new TeamWebAcl(this.client, parseWebAclArn(arn));
  }
}
