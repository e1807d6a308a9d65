import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { DeadlineHttpHandler } from './deadline-http-handler';

/**
 * The bound of one attempt of one AWS call. WAF's control plane answers in a few hundred milliseconds and
 * DynamoDB in tens, so an attempt still unanswered after this is abandoned and retried once by the SDK:
 * a stalled call costs about this much, not the stall. Within a request, an attempt also never outlasts
 * the request's deadline (deadline-http-handler.ts).
 */
export const CALL_TIMEOUT_MS = 2_500;
export const CONNECT_TIMEOUT_MS = 1_000;

/**
 * Settings every SDK client shares: each call is tried at most twice (the use cases' own loops retry lock
 * conflicts and throttling against the request's deadline) and each attempt is bounded. `endpoint`
 * overrides AWS_ENDPOINT_URL (tests point one set of clients at a fault proxy).
 */
export function clientConfig(region = 'us-east-1', endpoint?: string) {
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 2,
    requestHandler: new DeadlineHttpHandler({ connectionTimeout: CONNECT_TIMEOUT_MS }, CALL_TIMEOUT_MS),
  };
}

const made = new Map<string, { waf: WAFV2Client; dynamodb: DynamoDBClient }>();

/**
 * SDK clients for the switch. Region is pinned to us-east-1 unless told otherwise: a CloudFront web ACL and
 * its IP sets only exist there. The SDK itself honours AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>),
 * so the same code talks to AWS or to a local emulator. One pair per region and endpoint, however many
 * composition roots ask (the handler's ports and the windows' calendar share one DynamoDB connection pool).
 */
export function createClients(region = 'us-east-1', endpoint?: string) {
  const key = `${region} ${endpoint ?? ''}`;
  let clients = made.get(key);
  if (!clients) {
    clients = {
      waf: new WAFV2Client(clientConfig(region, endpoint)),
      dynamodb: new DynamoDBClient(clientConfig(region, endpoint)),
    };
    made.set(key, clients);
  }
  return clients;
}
