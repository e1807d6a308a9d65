import { loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('names every missing key at once', () => {
    expect(() => loadConfig({})).toThrow(
      'Invalid configuration: WEB_ACL_ARN is required; TABLE_NAME is required',
    );
  });

  it('refuses empty values', () => {
    expect(() => loadConfig({ WEB_ACL_ARN: '', TABLE_NAME: 't' })).toThrow('WEB_ACL_ARN is empty');
  });

  it('defaults the region to us-east-1, where CloudFront web ACLs live', () => {
    expect(loadConfig({ WEB_ACL_ARN: 'a', TABLE_NAME: 't' })).toEqual({
      WEB_ACL_ARN: 'a',
      TABLE_NAME: 't',
      AWS_REGION: 'us-east-1',
    });
  });
});
