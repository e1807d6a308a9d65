import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
} from '@aws-sdk/client-cloudfront';
import {
  GetIPSetCommand,
  GetRuleGroupCommand,
  GetWebACLCommand,
  type IPSet,
  type RuleGroup,
  type Statement,
  WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import { parseIpSetArn, parseRuleGroupArn, parseWebAclArn } from '../../../src/adapters/aws/waf-arn';
import { compileWebAcl, UnsupportedWafFeature, type WafRequest, type WafVerdict } from './waf-evaluator';

/**
 * What the local edge reads from the emulator for a request, as the distribution would have it: the
 * distribution's config, the web ACL it carries (WebACLId), the rule groups that ACL references and the
 * IP sets their statements reference, with the ACL compiled once for all requests that share the read.
 */
export interface EdgeSnapshot {
  distribution: DistributionConfig;
  /** Allow when the distribution carries no web ACL; throws what the ACL holds that cannot be evaluated. */
  evaluate(request: WafRequest): WafVerdict;
}

export interface EdgeClients {
  cloudfront: CloudFrontClient;
  waf: WAFV2Client;
}

/** Clients for the emulator at AWS_ENDPOINT_URL (the SDK reads it); CloudFront and its WAF live in us-east-1. */
export function emulatorClients(): EdgeClients {
  return {
    cloudfront: new CloudFrontClient({ region: 'us-east-1' }),
    waf: new WAFV2Client({ region: 'us-east-1' }),
  };
}

/** The ARNs a list of statements references, walking the combinators the evaluator knows. */
function referenced(statements: Array<Statement | undefined>, kind: 'ipSet' | 'ruleGroup'): string[] {
  return statements.flatMap((s): string[] => {
    if (!s) return [];
    const own = kind === 'ipSet' ? s.IPSetReferenceStatement?.ARN : s.RuleGroupReferenceStatement?.ARN;
    const nested = [
      ...(s.AndStatement?.Statements ?? []),
      ...(s.OrStatement?.Statements ?? []),
      s.NotStatement?.Statement,
    ];
    return [...(own ? [own] : []), ...referenced(nested, kind)];
  });
}

async function readWaf(waf: WAFV2Client, webAclArn: string) {
  if (!webAclArn.startsWith('arn:')) {
    throw new UnsupportedWafFeature(`the web ACL "${webAclArn}", which is not a WAFv2 ARN (WAF Classic?)`);
  }
  const ref = parseWebAclArn(webAclArn);
  const acl = (await waf.send(new GetWebACLCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope }))).WebACL;
  if (!acl) throw new Error(`GetWebACL returned no web ACL for ${webAclArn}`);
  const groupArns = [
    ...new Set(
      referenced(
        (acl.Rules ?? []).map((r) => r.Statement),
        'ruleGroup',
      ),
    ),
  ];
  const groups = await Promise.all(
    groupArns.map(async (arn) => {
      const g = parseRuleGroupArn(arn);
      return (await waf.send(new GetRuleGroupCommand({ Name: g.name, Id: g.id, Scope: g.scope }))).RuleGroup;
    }),
  );
  const statements = [acl, ...groups].flatMap((holder) => (holder?.Rules ?? []).map((r) => r.Statement));
  const setArns = [...new Set(referenced(statements, 'ipSet'))];
  const sets = await Promise.all(
    setArns.map(async (arn) => {
      const s = parseIpSetArn(arn);
      return (await waf.send(new GetIPSetCommand({ Name: s.name, Id: s.id, Scope: s.scope }))).IPSet;
    }),
  );
  return {
    acl,
    groups: new Map(groupArns.map((arn, i) => [arn, groups[i]])),
    sets: new Map(setArns.map((arn, i) => [arn, sets[i]])),
  };
}

function compiled(
  acl: WebACL,
  groups: Map<string, RuleGroup | undefined>,
  sets: Map<string, IPSet | undefined>,
): EdgeSnapshot['evaluate'] {
  const found = <T>(map: Map<string, T | undefined>, arn: string, what: string): T => {
    const item = map.get(arn);
    if (!item) throw new Error(`The emulator holds no ${what} ${arn}`);
    return item;
  };
  try {
    return compileWebAcl(acl, {
      ruleGroup: (arn) => found(groups, arn, 'rule group'),
      ipSet: (arn) => found(sets, arn, 'IP set'),
    });
  } catch (error) {
    // Every request through this ACL gets the same loud answer, never an allow.
    return () => {
      throw error;
    };
  }
}

/**
 * Reads the distribution `distributionId` and what its web ACL needs from the emulator, now.
 *
 * @example
 * const snapshot = await readEdgeSnapshot(emulatorClients(), 'E2QWRUHAPOMQZL');
 * snapshot.evaluate({ sourceIp: '127.0.0.2', method: 'GET', path: '/', query: '', headers: {} });
 */
export async function readEdgeSnapshot(clients: EdgeClients, distributionId: string): Promise<EdgeSnapshot> {
  const out = await clients.cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
  const distribution = out.DistributionConfig;
  if (!distribution) throw new Error(`GetDistributionConfig returned no config for ${distributionId}`);
  if (!distribution.WebACLId) return { distribution, evaluate: () => ({ action: 'allow', labels: [] }) };
  const { acl, groups, sets } = await readWaf(clients.waf, distribution.WebACLId);
  return { distribution, evaluate: compiled(acl, groups, sets) };
}
