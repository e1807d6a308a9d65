import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WAFV2Client } from '@aws-sdk/client-wafv2';

/**
 * Settings every SDK client of the Lambdas shares. Bounded so a request always ends inside the function's
 * 28 s: the SDK retries a transient failure once (the use cases' own loops retry lock conflicts and
 * throttling against their deadline), and no single call may hang for longer than 5 s.
 */
export function clientConfig(region = 'us-east-1') {
  return {
    region,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 },
  };
}

/**
 * SDK clients for the switch. Region is pinned to us-east-1 unless told otherwise: a CloudFront web ACL and
 * its IP sets only exist there. The SDK itself honours AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>),
 * so the same code talks to AWS or to a local emulator.
 */
export function createClients(region = 'us-east-1') {
  return {
    waf: new WAFV2Client(clientConfig(region)),
    dynamodb: new DynamoDBClient(clientConfig(region)),
  };
}
