import { createClients } from '../../src/adapters/aws/clients';
import { DynamoDbAuditLog } from '../../src/adapters/aws/dynamodb-audit-log';
import { DynamoDbChangeLog } from '../../src/adapters/aws/dynamodb-change-log';
import { DynamoDbTokenRegistry } from '../../src/adapters/aws/dynamodb-token-registry';
import { parseIpSetArn, parseRuleGroupArn } from '../../src/adapters/aws/waf-arn';
import { WafBypassSets } from '../../src/adapters/aws/waf-bypass-sets';
import { WafRuleGroupStore } from '../../src/adapters/aws/waf-rule-group-store';
import { jsonLogger } from '../../src/adapters/json-logger';
import { loadConfig } from '../../src/config';
import { siteOrigin } from '../../src/domain/bypass-link';
import type { PageStyle } from '../../src/domain/maintenance-page';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/domain/retry';
import type { AuditLog } from '../../src/ports/audit-log';
import type { BypassSetStore } from '../../src/ports/bypass-set-store';
import type { ChangeLog } from '../../src/ports/change-log';
import { type Clock, systemClock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import type { RuleGroupStore } from '../../src/ports/rule-group-store';
import type { TokenRegistry } from '../../src/ports/token-registry';

/** What the handlers need, as ports: AWS adapters in Lambda, in-memory fakes in unit tests. */
export interface Deps {
  ruleGroup: RuleGroupStore;
  bypass: BypassSetStore;
  changes: ChangeLog;
  audit: AuditLog;
  tokens: TokenRegistry;
  clock: Clock;
  policy: RetryPolicy;
  /** Structured log lines (one JSON object each); handlers fall back to the same logger when tests give none. */
  logger: Logger;
  pageStyle: PageStyle;
  /** Where visitors reach the site (SITE_URL), reported with the status; null when the stack does not know. */
  siteUrl: string | null;
}

/**
 * The composition root for the Lambdas: config parsed and clients built once per container (module scope
 * in each handler), reused by every invocation. `endpoint` points the clients elsewhere than
 * AWS_ENDPOINT_URL (tests put a fault proxy there).
 */
export function awsDeps(env: NodeJS.ProcessEnv = process.env, options: { endpoint?: string } = {}): Deps {
  const config = loadConfig(env);
  const clients = createClients(config.AWS_REGION, options.endpoint);
  return {
    ruleGroup: new WafRuleGroupStore(clients.waf, parseRuleGroupArn(config.RULE_GROUP_ARN)),
    bypass: new WafBypassSets(clients.waf, {
      4: parseIpSetArn(config.BYPASS_IPV4_ARN),
      6: parseIpSetArn(config.BYPASS_IPV6_ARN),
    }),
    changes: new DynamoDbChangeLog(clients.dynamodb, config.TABLE_NAME),
    audit: new DynamoDbAuditLog(clients.dynamodb, config.TABLE_NAME),
    tokens: new DynamoDbTokenRegistry(clients.dynamodb, config.TABLE_NAME),
    clock: systemClock,
    policy: DEFAULT_RETRY_POLICY,
    logger: jsonLogger,
    pageStyle: config.MAINTENANCE_PAGE,
    // Its origin, or null when unset, not an http(s) URL, or a wildcard alias (serverless.yml takes the first).
    siteUrl: siteOrigin(config.SITE_URL),
  };
}
