import type { IPSet, LabelMatchStatement, Statement } from '@aws-sdk/client-wafv2';
import ipaddr from 'ipaddr.js';
import { byteMatch } from './waf-byte-match';
import { definedKeys, type Predicate, UnsupportedWafFeature } from './waf-request';

/**
 * The statements of a preview of AWS WAF (see waf-evaluator.ts), each compiled once per snapshot of the
 * emulator into a predicate. Compiling walks every statement, so whatever it cannot evaluate throws
 * UnsupportedWafFeature before any request is answered, whichever branch that request would have taken.
 */

/** Where a statement is compiled: its context's label namespace, and the IP sets it may reference. */
export interface StatementScope {
  /** `awswaf:<account>:rulegroup:<name>:` or `awswaf:<account>:webacl:<name>:` */
  namespace: string;
  ipSet(arn: string): IPSet;
}

/** An IPv4 peer of a dual-stack socket shows as ::ffff:a.b.c.d; WAF sees the viewer's IPv4 address. */
export function viewerAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (!ipaddr.isValid(ip)) throw new UnsupportedWafFeature(`the source address "${ip}"`);
  const address = ipaddr.parse(ip);
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

function ipSetMatch(arn: string, scope: StatementScope): Predicate {
  const set = scope.ipSet(arn);
  const networks = (set.Addresses ?? []).map((cidr) => {
    try {
      return ipaddr.parseCIDR(cidr);
    } catch {
      // moto stores whatever it is given; WAF would have refused the set.
      throw new UnsupportedWafFeature(`the address "${cidr}" of IP set ${set.Name ?? arn}`);
    }
  });
  return (request) => {
    const address = viewerAddress(request.sourceIp);
    return networks.some(
      ([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
    );
  };
}

/**
 * LabelMatchStatement. A key without the `awswaf:` prefix is looked for among labels of the statement's
 * own context; a LABEL key may leave out leading namespaces (`header:encoding:utf8` matches
 * `<prefix>:testNS1:header:encoding:utf8`, "Label match examples"); a NAMESPACE key is a run of whole
 * namespaces. A key with the prefix must match from the prefix on.
 */
function labelMatch(statement: LabelMatchStatement, scope: StatementScope): Predicate {
  const key = statement.Key ?? '';
  const qualified = key.startsWith('awswaf:');
  const inContext = (label: string) => qualified || label.startsWith(scope.namespace);
  if (statement.Scope === 'LABEL') {
    const suffix = `:${key}`;
    return (_request, labels) =>
      labels.some((label) =>
        qualified
          ? label === key
          : inContext(label) && `:${label.slice(scope.namespace.length)}`.endsWith(suffix),
      );
  }
  if (statement.Scope === 'NAMESPACE') {
    const run = `:${key.replace(/:$/, '')}:`;
    return (_request, labels) =>
      labels.some((label) => {
        if (qualified) return label.startsWith(run.slice(1));
        if (!inContext(label)) return false;
        const namespaces = `:${label.slice(scope.namespace.length)}`.replace(/[^:]*$/, '');
        return namespaces.includes(run);
      });
  }
  throw new UnsupportedWafFeature(`the label match scope ${statement.Scope}`);
}

function combined(statements: Statement[] | undefined, kind: string, scope: StatementScope): Predicate[] {
  // WAF refuses AND and OR statements with fewer than two statements (AndStatement, OrStatement).
  if ((statements ?? []).length < 2)
    throw new UnsupportedWafFeature(`an ${kind} with fewer than two statements`);
  return (statements ?? []).map((s) => compileStatement(s, scope));
}

/**
 * Compiles one statement (and everything nested in it) into a predicate over a request and its labels.
 * Throws UnsupportedWafFeature for any statement type, field, transformation or scope it does not know.
 *
 * @example
 * const passes = compileStatement(rule.Statement, { namespace: group.LabelNamespace, ipSet: (arn) => sets.get(arn) });
 * passes({ sourceIp: '127.0.0.2', method: 'GET', path: '/', query: '', headers: {} }, []);
 */
export function compileStatement(statement: Statement, scope: StatementScope): Predicate {
  const kinds = definedKeys(statement);
  if (kinds.length !== 1) throw new UnsupportedWafFeature(`a statement of ${kinds.join(', ') || 'no type'}`);
  if (statement.IPSetReferenceStatement) {
    if (statement.IPSetReferenceStatement.IPSetForwardedIPConfig) {
      throw new UnsupportedWafFeature('an IP set reference on a forwarded IP header');
    }
    return ipSetMatch(statement.IPSetReferenceStatement.ARN ?? '', scope);
  }
  if (statement.ByteMatchStatement) return byteMatch(statement.ByteMatchStatement);
  if (statement.LabelMatchStatement) return labelMatch(statement.LabelMatchStatement, scope);
  if (statement.AndStatement) {
    const all = combined(statement.AndStatement.Statements, 'AndStatement', scope);
    return (request, labels) => all.every((p) => p(request, labels));
  }
  if (statement.OrStatement) {
    const any = combined(statement.OrStatement.Statements, 'OrStatement', scope);
    return (request, labels) => any.some((p) => p(request, labels));
  }
  if (statement.NotStatement?.Statement) {
    const inner = compileStatement(statement.NotStatement.Statement, scope);
    return (request, labels) => !inner(request, labels);
  }
  throw new UnsupportedWafFeature(`the statement ${kinds[0]}`);
}
