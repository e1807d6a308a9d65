import * as z from 'zod/mini';
import { DeadlineError, ValidationError } from '../../domain/errors';
import type { PageStyle } from '../../domain/maintenance-page';
import {
  createSwitch,
  type MadeResources,
  type ProvisionDeps,
  type ProvisionedSwitch,
  type SwitchSpec,
  updateSwitch,
} from '../../use-cases/provision-switch';
import { removeSwitch } from '../../use-cases/remove-switch';

/**
 * `Custom::MaintenanceRuleGroup` in CloudFormation's terms: the request CloudFormation sends, the switch's
 * use cases it maps to, and the answer it expects back (AWS CloudFormation User Guide, "Custom resource
 * request objects" and "Custom resource response objects", crpg-ref-requests.html / crpg-ref-responses.html).
 */

/** The request fields the switch reads (a subset of CloudFormation's). */
export interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
  OldResourceProperties?: Record<string, unknown>;
}

/** The JSON that goes to the presigned ResponseURL. */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/** "The total size of the response body can't exceed 4096 bytes" (Custom resource response objects). */
export const MAX_RESPONSE_BYTES = 4096;

/**
 * The PhysicalResourceId of a Create that failed. CloudFormation answers a failed Create by sending a
 * Delete with the PhysicalResourceId of the FAILED response (the rollback); this marker, which is no ARN,
 * makes that Delete a no-op, where the ARN of a group that already existed would delete someone else's.
 */
export const NOT_CREATED_PREFIX = 'not-created:';

const properties = z.object({
  // WAF's name rule for rule groups and IP sets: 1-128 of [A-Za-z0-9_-] (the sets add 12 characters).
  Name: z.string().check(z.regex(/^[\w-]{1,116}$/, 'must be 1-116 letters, digits, _ or -')),
  PageStyle: z.enum(['hosted', 'inline']),
  TableName: z.string().check(z.minLength(1, 'is empty')),
  // CloudFormation hands every property value to the provider as a string.
  RulesRevision: z.union([z.string().check(z.minLength(1, 'is empty')), z.number()]),
  AttachTo: z.optional(z.string()),
});

export type SwitchProperties = z.infer<typeof properties>;

/** The resource's properties, or a ValidationError naming every bad one. */
export function parseSwitchProperties(input: unknown): SwitchProperties {
  const parsed = properties.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(properties)',
      message: issue.message,
    })),
    `Invalid properties: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
  );
}

/** `a, b` as the list of ARNs it holds. */
export function arnList(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((arn) => arn.trim())
        .filter(Boolean)
    : [];
}

/** What a PhysicalResourceId names: the rule group's ARN, or nothing (the marker of a failed Create). */
export function switchArnOf(physicalResourceId: string | undefined): string | null {
  return physicalResourceId?.startsWith('arn:') ? physicalResourceId : null;
}

/** The attributes `!GetAtt MaintenanceRuleGroup.<name>` gives. */
export function switchData(provisioned: ProvisionedSwitch): Record<string, string> {
  return {
    Arn: provisioned.arn,
    Id: provisioned.id,
    Name: provisioned.name,
    Ipv4SetArn: provisioned.ipSets.v4,
    Ipv6SetArn: provisioned.ipSets.v6,
  };
}

const specOf = (props: SwitchProperties): SwitchSpec => ({ name: props.Name, pageStyle: props.PageStyle });

/** The change log's table comes with the request, so the properties are read before the ports are built. */
export function tableNameOf(event: CustomResourceEvent): string {
  return event.RequestType === 'Delete' ? '' : parseSwitchProperties(event.ResourceProperties).TableName;
}

/**
 * Runs one request: Create and Update give the switch as provisioned, Delete null. Whatever a Create
 * made before failing is in `made` (undoCreate deletes it); an Update whose group is gone creates it so.
 */
export async function runSwitchRequest(
  deps: ProvisionDeps,
  event: Pick<
    CustomResourceEvent,
    'RequestType' | 'PhysicalResourceId' | 'ResourceProperties' | 'OldResourceProperties'
  >,
  made: MadeResources,
): Promise<ProvisionedSwitch | null> {
  const arn = switchArnOf(event.PhysicalResourceId);
  if (event.RequestType === 'Delete') {
    return removeSwitch(deps, arn, { attachTo: arnList(event.ResourceProperties.AttachTo) }).then(() => null);
  }
  const spec = specOf(parseSwitchProperties(event.ResourceProperties));
  if (event.RequestType === 'Create') return createSwitch(deps, spec, made);
  const previous = event.OldResourceProperties?.PageStyle;
  const previousPageStyle =
    previous === 'hosted' || previous === 'inline' ? (previous as PageStyle) : undefined;
  return updateSwitch(deps, spec, arn, { previousPageStyle, made });
}

/** What went wrong, in words for the stack's events, and what became of what the request had made. */
export function failureReason(
  event: Pick<CustomResourceEvent, 'RequestType'>,
  error: unknown,
  what: { unconfirmedWrites: string[]; undone: string[]; left: Array<{ resource: string; problem: string }> },
): string {
  const message = error instanceof Error ? error.message : String(error);
  const parts = [
    error instanceof DeadlineError
      ? `${event.RequestType} did not finish before the function's time was up: ${message}`
      : `${event.RequestType} failed: ${message}`,
  ];
  if (what.unconfirmedWrites.length > 0) {
    parts.push(
      `AWS did not answer ${what.unconfirmedWrites.join(', ')}: it may have been applied; if that resource exists, delete it by hand before retrying.`,
    );
  }
  if (what.undone.length > 0) parts.push(`Deleted what this request had made: ${what.undone.join(', ')}.`);
  for (const { resource, problem } of what.left) {
    parts.push(`Could not delete ${resource}, which this request made (${problem}): delete it by hand.`);
  }
  return parts.join(' ');
}

/**
 * The answer for CloudFormation, within its 4096 bytes (a long reason is cut, never the identifiers). A
 * failed Create answers the NOT_CREATED marker; every other answer keeps the request's PhysicalResourceId
 * unless the switch now lives at another ARN (a replacement: CloudFormation then deletes the old one).
 */
export function responseBody(
  event: CustomResourceEvent,
  outcome: { ok: true; provisioned: ProvisionedSwitch | null } | { ok: false; reason: string },
): CustomResourceResponse {
  const common = {
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  if (outcome.ok) {
    const { provisioned } = outcome;
    return {
      Status: 'SUCCESS',
      PhysicalResourceId:
        provisioned?.arn ?? event.PhysicalResourceId ?? `${NOT_CREATED_PREFIX}${event.RequestId}`,
      ...common,
      ...(provisioned ? { Data: switchData(provisioned) } : {}),
    };
  }
  const body: CustomResourceResponse = {
    Status: 'FAILED',
    Reason: outcome.reason,
    PhysicalResourceId:
      event.RequestType === 'Create' || !event.PhysicalResourceId
        ? `${NOT_CREATED_PREFIX}${event.RequestId}`
        : event.PhysicalResourceId,
    ...common,
  };
  // JSON escapes make the reason longer on the wire than in text: keep the most characters that fit.
  const chars = [...outcome.reason];
  const fits = (keep: number) => {
    body.Reason = keep === chars.length ? outcome.reason : `${chars.slice(0, keep).join('')}…`;
    return Buffer.byteLength(JSON.stringify(body)) <= MAX_RESPONSE_BYTES;
  };
  if (fits(chars.length)) return body;
  let [low, high] = [0, chars.length - 1];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  fits(low);
  return body;
}
