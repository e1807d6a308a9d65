import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { WafWebAclAttachments } from '../adapters/aws/waf-web-acl-attachments';
import type { WebAclAttachments } from './attach-commands';
import { credentialsFor } from './aws-credentials';
import type { StackTarget } from './stack-target';

/*
 * WAF for `attach` and `detach`, in its own module like aws-stores.ts, so every other command starts
 * without loading the WAF client (and token or slack commands without it either).
 */

export async function createWebAclAttachments(
  target: StackTarget,
  env: Record<string, string | undefined>,
): Promise<WebAclAttachments> {
  const credentials = await credentialsFor(env, 'WAFV2');
  return new WafWebAclAttachments(new WAFV2Client({ region: target.region, credentials }));
}
