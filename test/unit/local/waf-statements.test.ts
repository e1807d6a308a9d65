import type { ByteMatchStatement, IPSet, Statement } from '@aws-sdk/client-wafv2';
import { UnsupportedWafFeature, type WafRequest } from '../../../scripts/local/edge/waf-request';
import { compileStatement, viewerAddress } from '../../../scripts/local/edge/waf-statements';

const GROUP_NS = 'awswaf:123456789012:rulegroup:waf-maintenance-dev:';
const V4 = 'arn:aws:wafv2:us-east-1:123456789012:global/ipset/bypass-v4/11111111-1111-1111-1111-111111111111';
const V6 = 'arn:aws:wafv2:us-east-1:123456789012:global/ipset/bypass-v6/22222222-2222-2222-2222-222222222222';

const sets: Record<string, IPSet> = {
  [V4]: {
    Name: 'bypass-v4',
    Id: '1',
    ARN: V4,
    IPAddressVersion: 'IPV4',
    Addresses: ['127.0.0.3/32', '10.0.0.0/8'],
  },
  [V6]: { Name: 'bypass-v6', Id: '2', ARN: V6, IPAddressVersion: 'IPV6', Addresses: ['2001:db8::/32'] },
};

const scope = {
  namespace: GROUP_NS,
  ipSet: (arn: string) => {
    const set = sets[arn];
    if (!set) throw new Error(`no IP set ${arn}`);
    return set;
  },
};

function request(overrides: Partial<WafRequest> = {}): WafRequest {
  return { sourceIp: '127.0.0.2', method: 'GET', path: '/', query: '', headers: {}, ...overrides };
}

const matches = (statement: Statement, req: Partial<WafRequest> = {}, labels: string[] = []) =>
  compileStatement(statement, scope)(request(req), labels);

const bytes = (overrides: Partial<ByteMatchStatement>): Statement => ({
  ByteMatchStatement: {
    FieldToMatch: { UriPath: {} },
    PositionalConstraint: 'EXACTLY',
    SearchString: new TextEncoder().encode('/'),
    TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    ...overrides,
  },
});
const search = (text: string) => new TextEncoder().encode(text);

describe('compileStatement', () => {
  describe('IPSetReferenceStatement', () => {
    const inV4: Statement = { IPSetReferenceStatement: { ARN: V4 } };
    const inV6: Statement = { IPSetReferenceStatement: { ARN: V6 } };

    it('matches a source address inside one of the set’s networks, and no other', () => {
      expect(matches(inV4, { sourceIp: '127.0.0.3' })).toBe(true);
      expect(matches(inV4, { sourceIp: '10.200.1.1' })).toBe(true);
      expect(matches(inV4, { sourceIp: '127.0.0.2' })).toBe(false);
    });

    it('matches an IPv4 peer that a dual-stack socket reports as IPv4-mapped IPv6', () => {
      expect(viewerAddress('::ffff:127.0.0.3').toString()).toBe('127.0.0.3');
      expect(matches(inV4, { sourceIp: '::ffff:127.0.0.3' })).toBe(true);
      expect(matches(inV6, { sourceIp: '::ffff:127.0.0.3' })).toBe(false);
    });

    it('never matches across IP versions', () => {
      expect(matches(inV6, { sourceIp: '2001:db8::7' })).toBe(true);
      expect(matches(inV4, { sourceIp: '2001:db8::7' })).toBe(false);
      expect(matches(inV6, { sourceIp: '10.0.0.1' })).toBe(false);
    });

    it('refuses a forwarded-IP configuration, an unparsable address in the set, and an unparsable peer', () => {
      expect(() =>
        matches({
          IPSetReferenceStatement: {
            ARN: V4,
            IPSetForwardedIPConfig: {
              HeaderName: 'X-Forwarded-For',
              FallbackBehavior: 'MATCH',
              Position: 'FIRST',
            },
          },
        }),
      ).toThrow(/forwarded IP header/);
      const broken = { ...scope, ipSet: () => ({ ...sets[V4], Addresses: ['not-an-address'] }) as IPSet };
      expect(() => compileStatement(inV4, broken)).toThrow(/"not-an-address" of IP set bypass-v4/);
      expect(() => matches(inV4, { sourceIp: '' })).toThrow(UnsupportedWafFeature);
    });
  });

  describe('ByteMatchStatement', () => {
    it.each([
      ['EXACTLY', '/health', '/health', true],
      ['EXACTLY', '/health', '/health/', false],
      ['STARTS_WITH', '/maintenance/', '/maintenance/style.css', true],
      ['STARTS_WITH', '/maintenance/', '/maintenance', false],
      ['ENDS_WITH', '.css', '/a/b.css', true],
      ['ENDS_WITH', '.css', '/a/b.css.map', false],
      ['CONTAINS', 'webhooks', '/api/webhooks/1', true],
      ['CONTAINS', 'Webhooks', '/api/webhooks/1', false],
      ['CONTAINS_WORD', 'api', '/v1/api/x', true],
      ['CONTAINS_WORD', 'api', '/v1/apix', false],
      ['CONTAINS_WORD', 'api', 'api', true],
      ['CONTAINS_WORD', 'api', '_api', false],
    ])('%s %j against the path %j is %s', (constraint, text, path, expected) => {
      expect(
        matches(bytes({ PositionalConstraint: constraint as 'EXACTLY', SearchString: search(text) }), {
          path,
        }),
      ).toBe(expected);
    });

    it('compares the path as sent, not decoded, and case-sensitively', () => {
      const prefix = bytes({ PositionalConstraint: 'STARTS_WITH', SearchString: search('/maintenance/') });
      expect(matches(prefix, { path: '/%6daintenance/x' })).toBe(false);
      expect(matches(prefix, { path: '/Maintenance/x' })).toBe(false);
    });

    it('takes a search string given as text as well as bytes', () => {
      expect(matches(bytes({ SearchString: '/' as unknown as Uint8Array }))).toBe(true);
    });

    it('inspects the query string and the method', () => {
      const query = bytes({
        FieldToMatch: { QueryString: {} },
        PositionalConstraint: 'CONTAINS',
        SearchString: search('debug=1'),
      });
      expect(matches(query, { query: 'a=2&debug=1' })).toBe(true);
      expect(matches(query, { query: '' })).toBe(false);
      const method = bytes({ FieldToMatch: { Method: {} }, SearchString: search('POST') });
      expect(matches(method, { method: 'POST' })).toBe(true);
      expect(matches(method, { method: 'GET' })).toBe(false);
    });

    it('inspects a single header by its name in any case, and does not match an absent one', () => {
      const accept = bytes({
        FieldToMatch: { SingleHeader: { Name: 'Accept' } },
        PositionalConstraint: 'CONTAINS',
        SearchString: search('application/json'),
        TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
      });
      expect(matches(accept, { headers: { accept: 'Application/JSON, text/plain' } })).toBe(true);
      expect(matches(accept, { headers: { accept: 'text/html' } })).toBe(false);
      expect(matches(accept, { headers: {} })).toBe(false);
      expect(matches({ NotStatement: { Statement: accept } }, { headers: {} })).toBe(true);
    });

    it('lower-cases ASCII letters only, as LOWERCASE does', () => {
      const exact = bytes({
        FieldToMatch: { SingleHeader: { Name: 'x-name' } },
        SearchString: search('straße-É'),
        TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
      });
      expect(matches(exact, { headers: { 'x-name': 'STRAßE-É' } })).toBe(true);
      expect(matches(exact, { headers: { 'x-name': 'STRAßE-é' } })).toBe(false);
    });

    it('URL-decodes %XX (either case) and + before matching with URL_DECODE, leaving a lone % as it is', () => {
      const climbs = bytes({
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'CONTAINS',
        SearchString: search('/..'),
        TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
      });
      for (const path of ['/a/../b', '/a/%2e%2e/b', '/a/%2E%2E/b', '/a%2f..%2fb', '/a/.%2e']) {
        expect({ path, climbs: matches(climbs, { path }) }).toEqual({ path, climbs: true });
      }
      for (const path of ['/a/b', '/a/%2e/b', '/a/%zz../b', '/a/..b'.replace('/..', '/.')]) {
        expect({ path, climbs: matches(climbs, { path }) }).toEqual({ path, climbs: false });
      }
      const spaced = bytes({
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'EXACTLY',
        SearchString: search('/a b%'),
        TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
      });
      expect(matches(spaced, { path: '/a+b%' })).toBe(true);
      expect(matches(spaced, { path: '/a%20b%' })).toBe(true);
    });

    describe('cookies', () => {
      const cookie = (pattern: object, scopeName: string, text: string, constraint = 'EXACTLY'): Statement =>
        bytes({
          FieldToMatch: {
            Cookies: { MatchPattern: pattern, MatchScope: scopeName as 'ALL', OversizeHandling: 'NO_MATCH' },
          },
          PositionalConstraint: constraint as 'EXACTLY',
          SearchString: search(text),
        });
      const headers = { cookie: 'maintenance_bypass=s3cret; theme=dark' };

      it('matches the value of an included cookie, and not of another', () => {
        expect(
          matches(cookie({ IncludedCookies: ['maintenance_bypass'] }, 'VALUE', 's3cret'), { headers }),
        ).toBe(true);
        expect(matches(cookie({ IncludedCookies: ['theme'] }, 'VALUE', 's3cret'), { headers })).toBe(false);
      });

      it('matches keys with KEY, and a key or a value with ALL', () => {
        expect(matches(cookie({ All: {} }, 'KEY', 'theme'), { headers })).toBe(true);
        expect(matches(cookie({ All: {} }, 'KEY', 'dark'), { headers })).toBe(false);
        expect(matches(cookie({ All: {} }, 'ALL', 'dark'), { headers })).toBe(true);
        expect(matches(cookie({ All: {} }, 'ALL', 'theme'), { headers })).toBe(true);
      });

      it('leaves excluded cookies out, and matches nothing without a cookie header', () => {
        expect(
          matches(cookie({ ExcludedCookies: ['maintenance_bypass'] }, 'VALUE', 's3cret'), { headers }),
        ).toBe(false);
        expect(matches(cookie({ ExcludedCookies: ['other'] }, 'VALUE', 's3cret'), { headers })).toBe(true);
        expect(matches(cookie({ All: {} }, 'ALL', 's3cret'), { headers: {} })).toBe(false);
      });

      it('refuses an unknown match scope', () => {
        expect(() => matches(cookie({ All: {} }, 'BOTH', 'x'))).toThrow(/cookie match scope BOTH/);
      });
    });

    it.each([
      [
        'a transformation it does not know',
        { TextTransformations: [{ Priority: 0, Type: 'URL_DECODE_UNI' as const }] },
        /text transformation URL_DECODE_UNI/,
      ],
      [
        'a field it does not inspect',
        { FieldToMatch: { Body: { OversizeHandling: 'MATCH' as const } } },
        /field to match Body/,
      ],
      ['a field of no kind', { FieldToMatch: {} }, /field to match \(none\)/],
      [
        'a positional constraint it does not know',
        { PositionalConstraint: 'REGEX' as 'EXACTLY' },
        /positional constraint REGEX/,
      ],
    ])('refuses %s when compiled, before any request', (_what, overrides, message) => {
      expect(() => compileStatement(bytes(overrides), scope)).toThrow(message);
    });
  });

  describe('LabelMatchStatement', () => {
    const label = (key: string, s: 'LABEL' | 'NAMESPACE' = 'LABEL'): Statement => ({
      LabelMatchStatement: { Key: key, Scope: s },
    });

    it('matches an unqualified key against labels of its own context only', () => {
      expect(matches(label('maintenance-switch:pass'), {}, [`${GROUP_NS}maintenance-switch:pass`])).toBe(
        true,
      );
      expect(
        matches(label('maintenance-switch:pass'), {}, [
          'awswaf:123456789012:webacl:site:maintenance-switch:pass',
        ]),
      ).toBe(false);
      expect(matches(label('maintenance-switch:pass'), {}, [])).toBe(false);
    });

    it('lets an unqualified LABEL key leave out leading namespaces, but not differ in any part', () => {
      const labels = [`${GROUP_NS}testNS1:header:encoding:utf8`];
      expect(matches(label('header:encoding:utf8'), {}, labels)).toBe(true);
      expect(matches(label('encoding:utf8'), {}, labels)).toBe(true);
      expect(matches(label('coding:utf8'), {}, labels)).toBe(false);
      expect(matches(label('header:encoding2:utf8'), {}, labels)).toBe(false);
      expect(matches(label('header:encoding'), {}, labels)).toBe(false);
    });

    it('matches a fully qualified key in any context, exactly', () => {
      const labels = ['awswaf:123456789012:webacl:site:team:ok'];
      expect(matches(label('awswaf:123456789012:webacl:site:team:ok'), {}, labels)).toBe(true);
      expect(matches(label('awswaf:123456789012:webacl:site:team'), {}, labels)).toBe(false);
    });

    it('matches a NAMESPACE key against whole namespaces, never the label’s name', () => {
      const labels = [`${GROUP_NS}maintenance-switch:change:abc`];
      expect(matches(label('maintenance-switch:', 'NAMESPACE'), {}, labels)).toBe(true);
      expect(matches(label('maintenance-switch:change', 'NAMESPACE'), {}, labels)).toBe(true);
      expect(matches(label('change:', 'NAMESPACE'), {}, labels)).toBe(true);
      expect(matches(label('abc', 'NAMESPACE'), {}, labels)).toBe(false);
      expect(matches(label('maintenance', 'NAMESPACE'), {}, labels)).toBe(false);
      expect(matches(label(`${GROUP_NS}maintenance-switch:`, 'NAMESPACE'), {}, labels)).toBe(true);
      expect(matches(label('awswaf:123456789012:rulegroup:other:', 'NAMESPACE'), {}, labels)).toBe(false);
    });

    it('refuses an unknown scope', () => {
      expect(() => compileStatement(label('x', 'PREFIX' as 'LABEL'), scope)).toThrow(
        /label match scope PREFIX/,
      );
    });
  });

  describe('AND, OR and NOT', () => {
    const yes: Statement = { IPSetReferenceStatement: { ARN: V4 } };
    const no: Statement = bytes({ SearchString: search('/never') });
    const peer = { sourceIp: '127.0.0.3' };

    it('ANDs all, ORs any, and NOTs one', () => {
      expect(matches({ AndStatement: { Statements: [yes, yes] } }, peer)).toBe(true);
      expect(matches({ AndStatement: { Statements: [yes, no] } }, peer)).toBe(false);
      expect(matches({ OrStatement: { Statements: [no, yes] } }, peer)).toBe(true);
      expect(matches({ OrStatement: { Statements: [no, no] } }, peer)).toBe(false);
      expect(matches({ NotStatement: { Statement: no } }, peer)).toBe(true);
      expect(matches({ NotStatement: { Statement: { NotStatement: { Statement: yes } } } }, peer)).toBe(true);
    });

    it('refuses an AND or OR of fewer than two statements, which WAF would not accept', () => {
      expect(() => matches({ AndStatement: { Statements: [yes] } })).toThrow(
        /AndStatement with fewer than two/,
      );
      expect(() => matches({ OrStatement: { Statements: [] } })).toThrow(/OrStatement with fewer than two/);
    });

    it('refuses what it cannot evaluate however deep, even where the other branch decides the request', () => {
      const geo: Statement = { GeoMatchStatement: { CountryCodes: ['KP'] } };
      // For 127.0.0.3, `yes OR geo` is true whatever geo says: it still may not be skipped silently.
      expect(() =>
        matches({ OrStatement: { Statements: [yes, { NotStatement: { Statement: geo } }] } }, peer),
      ).toThrow(/the statement GeoMatchStatement/);
    });
  });

  it.each([
    ['RateBasedStatement', { RateBasedStatement: { Limit: 100, AggregateKeyType: 'IP' as const } }],
    [
      'RegexMatchStatement',
      { RegexMatchStatement: { RegexString: '.*', FieldToMatch: { UriPath: {} }, TextTransformations: [] } },
    ],
    [
      'ManagedRuleGroupStatement',
      { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
    ],
  ])('refuses a %s, naming it', (name, statement) => {
    expect(() => compileStatement(statement as Statement, scope)).toThrow(
      new RegExp(`the statement ${name}`),
    );
  });

  it('refuses a statement of no type, or of two', () => {
    expect(() => compileStatement({}, scope)).toThrow(/a statement of no type/);
    expect(() =>
      compileStatement(
        {
          IPSetReferenceStatement: { ARN: V4 },
          NotStatement: { Statement: { IPSetReferenceStatement: { ARN: V4 } } },
        },
        scope,
      ),
    ).toThrow(/a statement of IPSetReferenceStatement, NotStatement/);
  });
});
