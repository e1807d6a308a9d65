import type { RuleGroup, WebACL } from '@aws-sdk/client-wafv2';
import { sortKey } from '../../src/adapters/aws/history-keys';
import { hashToken } from '../../src/domain/api-token';
import type { IpVersion } from '../../src/domain/cidr';
import { Deadline } from '../../src/domain/deadline';
import { ConflictError, MisconfiguredError, StaleLockError } from '../../src/domain/errors';
import { type Entry, encodeCursor, type HistoryPage, type HistoryQuery } from '../../src/domain/history';
import type { ChangeRecord, MaintenanceStatus } from '../../src/domain/maintenance-status';
import type { RetryPolicy } from '../../src/domain/retry';
import type { Role } from '../../src/domain/roles';
import {
  initialState,
  RULE_GROUP_CAPACITY,
  type RuleGroupDocument,
  readSwitchState,
  ruleGroupDocument,
  type SwitchState,
} from '../../src/domain/rule-group';
import { referenceRule } from '../../src/domain/rule-group-reference';
import type { AuditLog } from '../../src/ports/audit-log';
import type { BypassSetStore, IpSetSnapshot } from '../../src/ports/bypass-set-store';
import type { ChangeLog } from '../../src/ports/change-log';
import type { Clock } from '../../src/ports/clock';
import type { DistributionView, EdgeInspector } from '../../src/ports/edge-inspector';
import type { RuleGroupStore, VersionedRuleGroup } from '../../src/ports/rule-group-store';
import type { SecretSource } from '../../src/ports/secret-source';
import type { SlackGrant, SlackGrants } from '../../src/ports/slack-grants';
import type { SignatureSighting, SlackReplayGuard } from '../../src/ports/slack-replay-guard';
import type { SlackJob, SlackJobQueue, SlackMessage, SlackResponder } from '../../src/ports/slack-worker';
import { type TokenRecord, type TokenRegistry, tokenLookupKey } from '../../src/ports/token-registry';
import { RecordingLogger } from './recording-logger';
import { windowPorts } from './window-fakes';

export const V4 =
  'arn:aws:wafv2:us-east-1:123456789012:global/ipset/waf-maintenance-t-bypass-v4/11111111-1111-1111-1111-111111111111';
export const V6 =
  'arn:aws:wafv2:us-east-1:123456789012:global/ipset/waf-maintenance-t-bypass-v6/22222222-2222-2222-2222-222222222222';
export const GROUP_ARN =
  'arn:aws:wafv2:us-east-1:123456789012:global/rulegroup/waf-maintenance-t/33333333-3333-3333-3333-333333333333';
export const ACL_ARN =
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/44444444-4444-4444-4444-444444444444';

/** The switch's rule group as the custom resource creates it: off, no change yet. */
export function aRuleGroup(state: SwitchState = initialState({ v4: V4, v6: V6 }, 'hosted')): RuleGroup {
  return {
    Name: 'waf-maintenance-t',
    Id: '33333333-3333-3333-3333-333333333333',
    ARN: GROUP_ARN,
    Capacity: RULE_GROUP_CAPACITY,
    LabelNamespace: 'awswaf:123456789012:rulegroup:waf-maintenance-t:',
    ...ruleGroupDocument('waf-maintenance-t', state),
  };
}

/** A status as the switch reports it: on since 2026-03-01 for a database upgrade, no link; with overrides. */
export function aStatus(overrides: Partial<MaintenanceStatus> = {}): MaintenanceStatus {
  return {
    enabled: true,
    action: 'BLOCK',
    reason: 'Database upgrade',
    retryAfterSeconds: 1800,
    changedAt: '2026-03-01T10:00:00.000Z',
    changedBy: 'ops',
    bypassLink: null,
    siteUrl: null,
    endsAt: null,
    ...overrides,
  };
}

/** A team's web ACL carrying the switch: the reference first, then a rule of their own. */
export function aWebAcl(overrides: Partial<WebACL> = {}): WebACL {
  return {
    Name: 'site',
    Id: '44444444-4444-4444-4444-444444444444',
    ARN: ACL_ARN,
    DefaultAction: { Allow: {} },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'site' },
    Rules: [
      referenceRule(GROUP_ARN, 'waf-maintenance-t', 0),
      {
        Name: 'rate-limit',
        Priority: 10,
        Action: { Block: {} },
        VisibilityConfig: {
          SampledRequestsEnabled: true,
          CloudWatchMetricsEnabled: true,
          MetricName: 'rate-limit',
        },
        Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
      },
    ],
    ...overrides,
  };
}

/**
 * An in-memory rule group with real lock-token semantics and AWS's replace-whole-document writes: every
 * write must present the current token, gets a new one, and keeps only what it sent (moto merges instead).
 * `conflictsBeforeWrite` makes the next N writes fail as if someone else wrote first.
 */
export class InMemoryRuleGroup implements RuleGroupStore {
  group: RuleGroup;
  lockToken = 'token-0';
  writes: RuleGroupDocument[] = [];
  reads = 0;
  conflictsBeforeWrite = 0;
  /** The next write is applied, but reported as a stale lock token (its answer lost, the retry refused). */
  loseNextAnswer = false;
  private version = 0;

  constructor(group: RuleGroup = aRuleGroup()) {
    this.group = structuredClone(group);
  }

  /** The state the switch would read now. */
  get state(): SwitchState {
    return readSwitchState(this.group);
  }

  async get(): Promise<VersionedRuleGroup> {
    this.reads++;
    return { group: structuredClone(this.group), lockToken: this.lockToken };
  }

  async put(document: RuleGroupDocument, lockToken: string): Promise<void> {
    if (this.loseNextAnswer) {
      // AWS applied the write but its answer never came: the SDK's retry then presents a stale token.
      this.loseNextAnswer = false;
      if (lockToken === this.lockToken) this.apply(document);
      throw new StaleLockError();
    }
    if (this.conflictsBeforeWrite > 0) {
      this.conflictsBeforeWrite--;
      this.bump();
      throw new StaleLockError();
    }
    if (lockToken !== this.lockToken) throw new StaleLockError();
    this.apply(document);
  }

  private apply(document: RuleGroupDocument) {
    const { Name, Id, ARN, Capacity, LabelNamespace } = this.group;
    this.group = structuredClone({ Name, Id, ARN, Capacity, LabelNamespace, ...document });
    this.writes.push(structuredClone(document));
    this.bump();
  }

  private bump() {
    this.version++;
    this.lockToken = `token-${this.version}`;
  }
}

export class InMemoryChangeLog implements ChangeLog {
  readonly records = new Map<string, ChangeRecord>();
  finds = 0;

  async record(change: ChangeRecord): Promise<void> {
    if (this.records.has(change.id)) throw new ConflictError(`duplicate change ${change.id}`);
    this.records.set(change.id, { ...change });
  }

  async find(id: string): Promise<ChangeRecord | null> {
    this.finds++;
    return this.records.get(id) ?? null;
  }
}

export class InMemoryTokenRegistry implements TokenRegistry {
  readonly byHash = new Map<string, TokenRecord>();

  /** `holders`: the tokens registered from the start, each `[token, name, role]`. */
  constructor(holders: ReadonlyArray<readonly [token: string, name: string, role: Role]> = []) {
    for (const [token, name, role] of holders) this.add(token, name, role);
  }

  /** Registers a token string directly (tests choose well-formed tokens). */
  add(token: string, name: string, role: Role): string {
    this.byHash.set(hashToken(token), {
      name,
      role,
      hash: hashToken(token),
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    return token;
  }

  /** Like the DynamoDB registry: filed under the lookup key, so a hash sharing it finds the record. */
  async findByHash(hash: string) {
    return [...this.byHash.values()].find((r) => tokenLookupKey(r.hash) === tokenLookupKey(hash)) ?? null;
  }

  async create(record: TokenRecord) {
    if ([...this.byHash.values()].some((r) => r.name === record.name)) throw new ConflictError('taken');
    this.byHash.set(record.hash, record);
  }

  async list() {
    return [...this.byHash.values()];
  }

  async revoke(name: string) {
    const entry = [...this.byHash.entries()].find(([, r]) => r.name === name);
    if (!entry) return false;
    this.byHash.delete(entry[0]);
    return true;
  }
}

/** A clock whose sleeps advance time instantly; `slept` records each wait. */
export class FakeClock implements Clock {
  slept: number[] = [];

  constructor(private current = Date.parse('2026-11-23T10:00:00.000Z')) {}

  now(): Date {
    return new Date(this.current);
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.current += ms;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

/** Retries that give up within a second, waiting 10 to 50 ms between tries: enough for a test's conflicts. */
export const FAST_RETRIES: RetryPolicy = {
  budgetMs: 1_000,
  baseDelayMs: 10,
  maxDelayMs: 50,
  random: () => 0.5,
};

/**
 * The history in memory, as the DynamoDB one pages it: newest first by time then id, older than the cursor.
 * `failures` makes the next writes throw (once per entry).
 */
export class InMemoryAuditLog implements AuditLog {
  readonly entries: Entry[] = [];
  readonly failures: Error[] = [];

  async record(entry: Entry): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (!this.entries.some((e) => e.id === entry.id)) this.entries.push(structuredClone(entry));
  }

  async page(query: HistoryQuery): Promise<HistoryPage> {
    const key = (e: { at: string; id: string }) => sortKey(e.at, e.id);
    const before = query.cursor ? key(query.cursor) : null;
    const older = [...this.entries]
      .sort((a, b) => (key(a) < key(b) ? 1 : -1))
      .filter((e) => before === null || key(e) < before);
    const entries = older.slice(0, query.limit);
    const last = entries.at(-1);
    return { entries, nextCursor: older.length > query.limit && last ? encodeCursor(last) : null };
  }
}

function switchBase() {
  return {
    ruleGroup: new InMemoryRuleGroup(),
    // The windows' calendar and timers, which `endsAt`, Slack's `schedule` and the scheduled function use.
    ...windowPorts(),
    pageStyle: 'hosted' as const,
    changes: new InMemoryChangeLog(),
    audit: new InMemoryAuditLog(),
    clock: new FakeClock(),
    policy: FAST_RETRIES,
  };
}

/**
 * What every toggle needs, in memory: the switch's rule group (off), a change log, a fake clock, fast
 * retries and the hosted page. `extras` adds or replaces any of them; the optional ports (the bypass sets,
 * which turn on the caller's check, tokens, a responder, a deadline) are only there when a test adds them.
 *
 * @example
 * const clock = new FakeClock();
 * const deps = switchDeps({ clock, deadline: Deadline.in(clock, 27_000), bypass: new InMemoryBypassSets() });
 */
export function switchDeps<T extends object = Record<never, never>>(
  extras: T = {} as T,
): Omit<ReturnType<typeof switchBase>, keyof T> & T {
  return { ...switchBase(), ...extras };
}

/** Well-formed tokens for tests: `wmt_` and 43 base64url characters. */
export const OPERATOR_TOKEN = `wmt_${'o'.repeat(43)}`;
export const ADMIN_TOKEN = `wmt_${'a'.repeat(43)}`;

/**
 * Both bypass sets in memory, with WAF's lock-token semantics per set. `failWrites[version]` makes the
 * next writes of that set throw the given error (once per entry).
 */
export class InMemoryBypassSets implements BypassSetStore {
  readonly sets: Record<IpVersion, { addresses: string[]; lockToken: string; description: string }> = {
    4: { addresses: [], lockToken: 'v4-0', description: 'IPv4 bypass' },
    6: { addresses: [], lockToken: 'v6-0', description: 'IPv6 bypass' },
  };
  readonly failWrites: Record<IpVersion, Error[]> = { 4: [], 6: [] };
  writes: Array<{ version: IpVersion; addresses: string[] }> = [];
  reads = 0;
  private version = 0;

  async get(version: IpVersion): Promise<IpSetSnapshot> {
    this.reads++;
    const set = this.sets[version];
    return { version, addresses: [...set.addresses], lockToken: set.lockToken, description: set.description };
  }

  async put(snapshot: IpSetSnapshot, addresses: string[]): Promise<void> {
    const failure = this.failWrites[snapshot.version].shift();
    if (failure) throw failure;
    const set = this.sets[snapshot.version];
    if (snapshot.lockToken !== set.lockToken) throw new StaleLockError();
    set.addresses = [...addresses];
    set.lockToken = `v${snapshot.version}-${++this.version}`;
    this.writes.push({ version: snapshot.version, addresses: [...addresses] });
  }

  /** Someone else writes the set (a console user, another Lambda): the lock token moves on. */
  externalWrite(version: IpVersion, addresses: string[]): void {
    this.sets[version].addresses = [...addresses];
    this.sets[version].lockToken = `v${version}-${++this.version}`;
  }
}

export class InMemorySlackGrants implements SlackGrants {
  readonly grants = new Map<string, SlackGrant>();

  constructor(initial: Record<string, Role> = {}) {
    for (const [userId, role] of Object.entries(initial))
      this.grants.set(userId, { userId, role, grantedAt: 'x' });
  }

  async roleOf(userId: string) {
    return this.grants.get(userId)?.role ?? null;
  }

  async grant(grant: SlackGrant) {
    this.grants.set(grant.userId, grant);
  }

  async revoke(userId: string) {
    return this.grants.delete(userId);
  }

  async list() {
    return [...this.grants.values()];
  }
}

/** Keeps the jobs the acknowledgement hands over; `failWith` makes enqueue throw. */
export class RecordingJobQueue implements SlackJobQueue {
  readonly jobs: SlackJob[] = [];
  failWith: Error | undefined;

  async enqueue(job: SlackJob) {
    if (this.failWith) throw this.failWith;
    this.jobs.push(structuredClone(job));
  }
}

export class RecordingResponder implements SlackResponder {
  readonly posts: Array<{ url: string; message: SlackMessage }> = [];

  async post(url: string, message: SlackMessage) {
    this.posts.push({ url, message: structuredClone(message) });
  }
}

/**
 * What running a Slack command needs, in memory: switchDeps with the bypass sets, a recording responder,
 * a recording logger and a 27 s deadline on its fake clock. `extras` adds to them (a secret, a site).
 *
 * @example
 * const deps = slackRunDeps({ siteUrl: null });
 */
export function slackRunDeps<T extends object = Record<never, never>>(extras: T = {} as T) {
  const clock = new FakeClock();
  return switchDeps({
    bypass: new InMemoryBypassSets(),
    clock,
    deadline: Deadline.in(clock, 27_000),
    responder: new RecordingResponder(),
    logger: new RecordingLogger(),
    ...extras,
  });
}

export class FixedSecret implements SecretSource {
  reads = 0;

  constructor(private readonly value: string) {}

  async get() {
    this.reads++;
    return this.value;
  }
}

/** A distribution set up as deployed, attached to `webAclArn`; tests break it on purpose. */
/**
 * The edge of a managed stack as it should be: the web ACL references the group first, one distribution
 * carries it, with the /maintenance/* behaviour and error pages, and the page is served. Tests break a part.
 */
export class FakeEdge implements EdgeInspector {
  acls = new Map<string, WebACL>([[ACL_ARN, aWebAcl()]]);
  associations = new Map<string, string[]>([[ACL_ARN, ['E2FAKE']]]);
  view: DistributionView;
  page = { ok: true, detail: 'https://d111.cloudfront.net/maintenance/index.html answered 200' };
  failWith: Error | undefined;
  calls = 0;

  constructor(webAclArn: string | null = ACL_ARN) {
    this.view = {
      id: 'E2FAKE',
      webAclId: webAclArn,
      errorResponses: [502, 503, 504].map((errorCode) => ({
        errorCode,
        responseCode: '503',
        pagePath: '/maintenance/index.html',
      })),
      behaviors: [{ pathPattern: '/maintenance/*', targetOriginId: 'maintenance-site' }],
      s3OriginIds: ['maintenance-site'],
    };
  }

  async webAcl(arn: string) {
    this.calls++;
    const acl = this.acls.get(arn);
    if (!acl) throw new MisconfiguredError(`web ACL ${arn} does not exist`);
    return structuredClone(acl);
  }

  async distributionsOf(arn: string) {
    this.calls++;
    return [...(this.associations.get(arn) ?? [])];
  }

  async distribution() {
    this.calls++;
    if (this.failWith) throw this.failWith;
    return structuredClone(this.view);
  }

  async pageServed() {
    this.calls++;
    return { ...this.page };
  }
}

/** Remembers digests like the DynamoDB guard: true the first time, false after; `failWith` makes it throw. */
export class InMemorySlackReplayGuard implements SlackReplayGuard {
  readonly seen = new Map<string, SignatureSighting>();
  failWith: Error | undefined;

  async firstSighting(sighting: SignatureSighting) {
    if (this.failWith) throw this.failWith;
    if (this.seen.has(sighting.digest)) return false;
    this.seen.set(sighting.digest, { ...sighting });
    return true;
  }
}
