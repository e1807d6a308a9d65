import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WAFV2Client } from '@aws-sdk/client-wafv2';

/**
 * SDK clients for the switch. Region is pinned to us-east-1 unless told otherwise: a CloudFront web ACL and
 * its IP sets only exist there. The SDK itself honours AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>),
 * so the same code talks to AWS or to a local emulator.
 */
export function createClients(region = 'us-east-1') {
  return {
    waf: new WAFV2Client({ region }),
    dynamodb: new DynamoDBClient({ region }),
  };
}
