import { loadConfig, loadEdgeConfig } from '../../src/config';

describe('loadConfig', () => {
  it('names every missing key at once', () => {
    expect(() => loadConfig({})).toThrow(
      'Invalid configuration: RULE_GROUP_ARN is required; TABLE_NAME is required; BYPASS_IPV4_ARN is required; BYPASS_IPV6_ARN is required',
    );
  });

  const complete = { RULE_GROUP_ARN: 'g', TABLE_NAME: 't', BYPASS_IPV4_ARN: '4', BYPASS_IPV6_ARN: '6' };

  it('refuses empty values', () => {
    expect(() => loadConfig({ ...complete, RULE_GROUP_ARN: '' })).toThrow('RULE_GROUP_ARN is empty');
  });

  it('defaults the region to us-east-1, where CloudFront web ACLs live, and the page to the hosted one', () => {
    expect(loadConfig(complete)).toEqual({
      ...complete,
      AWS_REGION: 'us-east-1',
      MAINTENANCE_PAGE: 'hosted',
      SITE_URL: '',
    });
  });

  it('takes only the page styles it knows', () => {
    expect(loadConfig({ ...complete, MAINTENANCE_PAGE: 'inline' }).MAINTENANCE_PAGE).toBe('inline');
    expect(() => loadConfig({ ...complete, MAINTENANCE_PAGE: 'fancy' })).toThrow('MAINTENANCE_PAGE');
  });
});

describe('loadEdgeConfig', () => {
  it('reads the comma-separated web ACLs, and leaves the distribution out in attach mode', () => {
    expect(loadEdgeConfig({ WEB_ACL_ARNS: 'arn:a, arn:b,' })).toEqual({
      WEB_ACL_ARNS: ['arn:a', 'arn:b'],
      DISTRIBUTION_ID: '',
      SITE_PAGE_URL: '',
      DISTRIBUTION_LOOKUP: 'by-web-acl',
    });
  });

  it('refuses a configuration that names no web ACL', () => {
    expect(() => loadEdgeConfig({ WEB_ACL_ARNS: ' , ' })).toThrow('WEB_ACL_ARNS names no web ACL');
    expect(() => loadEdgeConfig({})).toThrow('WEB_ACL_ARNS is required');
  });
});
