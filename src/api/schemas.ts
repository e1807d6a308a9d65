import * as z from 'zod/mini';
import type { BypassWarning } from '../domain/bypass-address-rules';
import { MAX_ADDRESSES_PER_VERSION } from '../domain/bypass-plan';
import { type Entry, HISTORY_ACTIONS, type HistoryPage, type Json } from '../domain/history';
import type { MaintenanceStatus } from '../domain/maintenance-status';
import { checkReason, checkRetryAfter, MAX_EXEMPTIONS, type ValueCheck } from '../domain/values';
import type { MaintenanceWindow } from '../domain/windows';
import type { MaintenanceReport } from '../use-cases/diagnose-maintenance';
import type { BypassListing } from '../use-cases/list-bypass-set';
import type { ExemptionsListing } from '../use-cases/list-exemptions';
import type { Caller, SetMaintenanceResult } from '../use-cases/set-maintenance-mode';
import type { UpdateBypassResult } from '../use-cases/update-bypass-set';
import type { ExemptionsChange } from '../use-cases/update-exemptions';

/** A zod check from one of the domain's value rules, so the schema and the use case refuse alike. */
function fromRule<T>(rule: (input: unknown) => ValueCheck<T>) {
  return z.superRefine<T>((value, ctx) => {
    const checked = rule(value);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.message, input: value });
  });
}

/** The same fields, and each field assignable both ways. */
type Same<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;

/**
 * `schema`, once the compiler has proved that it reads exactly `T`: every value it accepts is a `T`, every
 * `T` is one it accepts, and both name the same fields. So a field added to a domain type and not to its
 * schema (or the other way round) fails the build rather than a client. Nested objects are checked by
 * assignability alone.
 *
 * @example
 * const point = exactly<{ x: number }>()(z.object({ x: z.number() }));
 */
export function exactly<T>() {
  return <S extends z.ZodMiniType<T>>(
    schema: S & (Same<T, z.output<S>> extends true ? unknown : 'the schema does not read exactly this type'),
  ): S => schema;
}

/** `T` as a client reads it: an API deployed before the fields `K` existed answers without them. */
export type MayLack<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/**
 * A maintenance reason and a Retry-After, by the domain's rules (src/domain/values/).
 *
 * @example
 * reasonSchema.safeParse('a\nb').success // false: 'must be one line of text without control characters (U+000A)'
 */
export const reasonSchema = z.string().check(fromRule(checkReason));
export const retryAfterSchema = z.number().check(fromRule(checkRetryAfter));

/**
 * The body of POST /maintenance.
 *
 * @example
 * setMaintenanceBody.safeParse({ enabled: true, force: true }).success // false: force is not a known field
 */
export const setMaintenanceBody = z.strictObject({
  enabled: z.boolean(),
  reason: z.optional(reasonSchema),
  retryAfterSeconds: z.optional(retryAfterSchema),
  /** RFC 3339 with an offset; judged with the window rules (src/domain/windows.ts) by the use case. */
  endsAt: z.optional(z.string()),
});

/**
 * The body of POST /maintenance/windows. The moments are judged by the window rules (an offset, in the
 * future, at most a year ahead, at most 7 days long), which need the clock: the use case applies them.
 *
 * @example
 * createWindowBody.safeParse({ startsAt: '2026-12-06T02:00:00Z', endsAt: '2026-12-06T03:00:00Z' }).success // true
 */
export const createWindowBody = z.strictObject({
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.optional(reasonSchema),
  retryAfterSeconds: z.optional(retryAfterSchema),
});

/** A window, as POST and DELETE /maintenance/windows answer it and GET lists it. */
export const windowAnswer = exactly<MaintenanceWindow>()(
  z.object({
    id: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    reason: z.nullable(z.string()),
    retryAfterSeconds: z.nullable(z.number()),
    state: z.enum(['scheduled', 'active', 'done', 'cancelled']),
    createdBy: z.string(),
    createdAt: z.string(),
  }),
);

export const windowsListing = exactly<{ windows: MaintenanceWindow[] }>()(
  z.object({ windows: z.array(windowAnswer) }),
);

/**
 * The body of an add/remove route: two optional lists of at most `max` entries each. Entries stay
 * `unknown` here: the core's one rule for them judges each, so the HTTP API, Slack and the CLI refuse
 * exactly the same things, each named by its position (`add[3]`).
 */
function batchBody(max: number) {
  const list = z.optional(z.array(z.unknown()).check(z.maxLength(max)));
  return z.strictObject({ add: list, remove: list });
}

/**
 * The body of POST /maintenance/bypass.
 *
 * @example
 * updateBypassBody.safeParse({ add: ['192.0.2.1'] }).success // true; the addresses are judged by the use case
 */
export const updateBypassBody = batchBody(2 * MAX_ADDRESSES_PER_VERSION);

/**
 * The body of POST /maintenance/exemptions. The cap only bounds the work of judging one request: the
 * limit in all (MAX_EXEMPTIONS) is the use case's, counted on the list as it would be after the change
 * (a request may name paths already exempt, or remove some), and refused in its words.
 *
 * @example
 * updateExemptionsBody.safeParse({ add: ['/health'], remove: [] }).success // true; the paths are judged by the use case
 */
export const updateExemptionsBody = batchBody(5 * MAX_EXEMPTIONS);

/** Status fields that APIs deployed before the secret bypass link did not send. */
type LinkFields = 'bypassLink' | 'siteUrl' | 'endsAt';

/** The status as a client reads it, from this API or an older one. */
export type StatusRead = MayLack<MaintenanceStatus, LinkFields>;

// Answers are read leniently (z.object drops fields it does not know), since a newer API may add some.
const status = exactly<StatusRead>()(
  z.object({
    enabled: z.boolean(),
    action: z.enum(['BLOCK', 'COUNT']),
    reason: z.nullable(z.string()),
    retryAfterSeconds: z.nullable(z.number()),
    changedAt: z.nullable(z.string()),
    changedBy: z.nullable(z.string()),
    bypassLink: z.optional(z.nullable(z.string())),
    siteUrl: z.optional(z.nullable(z.string())),
    endsAt: z.optional(z.nullable(z.string())),
  }),
);

/** GET /maintenance: the status and the edge checks (`effective`, `problems`), which older APIs did not send. */
export type StatusAnswer = MayLack<MaintenanceReport, 'effective' | 'problems' | LinkFields>;

/**
 * The answer of GET /maintenance as a client reads it.
 *
 * @example
 * statusAnswer.safeParse(await response.json()).success
 */
export const statusAnswer = exactly<StatusAnswer>()(
  z.extend(status, { effective: z.optional(z.boolean()), problems: z.optional(z.array(z.string())) }),
);

/**
 * POST /maintenance: the status after the request, whether it changed anything, and whether the caller's
 * own address is in the bypass set (`caller`, which older APIs did not send).
 */
export type SetMaintenanceAnswer = MayLack<
  MaintenanceStatus & Pick<SetMaintenanceResult, 'changed'> & { caller: Caller },
  LinkFields | 'caller'
>;

export const setMaintenanceAnswer = exactly<SetMaintenanceAnswer>()(
  z.extend(status, {
    changed: z.boolean(),
    caller: z.optional(z.object({ ip: z.string(), bypassed: z.boolean() })),
  }),
);

export const bypassListing = exactly<BypassListing>()(
  z.object({
    addresses: z.array(z.object({ cidr: z.string(), version: z.literal([4, 6]) })),
    count: z.number(),
    limit: z.number(),
  }),
);

/** What an add/remove route did, entry by entry, and how many the list holds afterwards. */
const batchChange = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  unchanged: z.array(z.string()),
  count: z.number(),
});

/** A warning as a client reads it: a newer API may name a range this one does not know (the message says it in words). */
export type BypassWarningAnswer = Omit<BypassWarning, 'range'> & { range: string };

/**
 * POST /maintenance/bypass: what the change did. `warnings` may be missing: an API deployed before it had
 * them still made the change, and a client upgraded first must not report that change as a failure.
 */
export type BypassChange = MayLack<
  Omit<UpdateBypassResult, 'warnings'> & { warnings: BypassWarningAnswer[] },
  'warnings'
>;

const bypassWarning = exactly<BypassWarningAnswer>()(
  z.object({ field: z.string(), cidr: z.string(), range: z.string(), message: z.string() }),
);

export const bypassChange = exactly<BypassChange>()(
  z.extend(batchChange, { warnings: z.optional(z.array(bypassWarning)) }),
);

/** GET /maintenance/exemptions: the exempt paths as listed, in the order they were added. */
export const exemptionsListing = exactly<ExemptionsListing>()(
  z.object({ paths: z.array(z.string()), count: z.number(), limit: z.number() }),
);

/** POST /maintenance/exemptions: what the change did to each path. */
export const exemptionsChange = exactly<ExemptionsChange>()(batchChange);

const json: z.ZodMiniType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

const entry = exactly<Entry>()(
  z.object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.enum(HISTORY_ACTIONS),
    details: z.record(z.string(), json),
  }),
);

/** GET /maintenance/history: a page of entries, newest first, and where the next one starts. */
export const historyPage = exactly<HistoryPage>()(
  z.object({ entries: z.array(entry), nextCursor: z.nullable(z.string()) }),
);
