import { ConflictError } from '../domain/errors';
import type { RuleGroupDocument } from '../domain/rule-group';
import type { VersionedRuleGroup } from './rule-group-store';

/** A WAF resource as created: what later calls address it by. */
export interface CreatedResource {
  arn: string;
  id: string;
  name: string;
}

export type IpAddressVersion = 'IPV4' | 'IPV6';

/**
 * The switch's own WAF resources (its rule group and both bypass IP sets) as the custom resource creates,
 * restates and deletes them. Everything is addressed by ARN: the custom resource's role may not list
 * (it learns the group's ARN from its PhysicalResourceId, and the sets' from the group's rules).
 *
 * Errors: a name already taken is a MisconfiguredError naming it; a resource something still references
 * (a web ACL the group, the group a set) is a StillReferencedError; otherwise StaleLockError,
 * ThrottledError, DeadlineError or UpstreamError, as for every AWS call.
 */
export interface SwitchResources {
  createIpSet(name: string, version: IpAddressVersion, description: string): Promise<CreatedResource>;
  createRuleGroup(name: string, capacity: number, document: RuleGroupDocument): Promise<CreatedResource>;
  /** The group with its lock token; null when there is no such group (any more). */
  getRuleGroup(arn: string): Promise<VersionedRuleGroup | null>;
  /** Restates the whole mutable document, as UpdateRuleGroup requires. */
  updateRuleGroup(arn: string, document: RuleGroupDocument, lockToken: string): Promise<void>;
  /** False when the group was already gone. */
  deleteRuleGroup(arn: string, lockToken: string): Promise<boolean>;
  /** Reads the set's lock token and deletes it; false when it was already gone. */
  deleteIpSet(arn: string): Promise<boolean>;
}

/**
 * WAF refuses to delete a resource that something references (WAFAssociatedItemException): a rule group
 * that a web ACL references, an IP set that a rule group does. Nothing was deleted.
 */
export class StillReferencedError extends ConflictError {}
