import { createClients } from '../../src/adapters/aws/clients';
import { DynamoDbChangeLog } from '../../src/adapters/aws/dynamodb-change-log';
import { DynamoDbTokenRegistry } from '../../src/adapters/aws/dynamodb-token-registry';
import { parseIpSetArn, parseWebAclArn } from '../../src/adapters/aws/waf-arn';
import { WafBypassSets } from '../../src/adapters/aws/waf-bypass-sets';
import { WafWebAclStore } from '../../src/adapters/aws/waf-web-acl-store';
import { loadConfig } from '../../src/config';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/domain/retry';
import type { BypassSetStore } from '../../src/ports/bypass-set-store';
import type { ChangeLog } from '../../src/ports/change-log';
import { type Clock, systemClock } from '../../src/ports/clock';
import type { TokenRegistry } from '../../src/ports/token-registry';
import type { WebAclStore } from '../../src/ports/web-acl-store';

/** What the handlers need, as ports: AWS adapters in Lambda, in-memory fakes in unit tests. */
export interface Deps {
  webAcl: WebAclStore;
  bypass: BypassSetStore;
  changes: ChangeLog;
  tokens: TokenRegistry;
  clock: Clock;
  policy: RetryPolicy;
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
    webAcl: new WafWebAclStore(clients.waf, parseWebAclArn(config.WEB_ACL_ARN)),
    bypass: new WafBypassSets(clients.waf, {
      4: parseIpSetArn(config.BYPASS_IPV4_ARN),
      6: parseIpSetArn(config.BYPASS_IPV6_ARN),
    }),
    changes: new DynamoDbChangeLog(clients.dynamodb, config.TABLE_NAME),
    tokens: new DynamoDbTokenRegistry(clients.dynamodb, config.TABLE_NAME),
    clock: systemClock,
    policy: DEFAULT_RETRY_POLICY,
  };
}
