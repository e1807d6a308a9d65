import { type ReadyStack, readyBanner } from '../../../scripts/local/banner';

const stack = (overrides: Partial<ReadyStack> = {}): ReadyStack => ({
  stage: 'dev',
  apiUrl: 'http://127.0.0.1:3000',
  emulatorUrl: 'http://127.0.0.1:4566',
  emulatorStartedHere: true,
  ruleGroupArn: 'arn:aws:wafv2:us-east-1:123456789012:global/rulegroup/waf-maintenance-dev/1',
  webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/waf-maintenance-dev/2',
  distributionId: 'E123',
  edgeUrl: 'http://127.0.0.1:8080',
  origin: { url: 'http://127.0.0.1:41234', sample: true },
  tokens: { admin: 'wmt_admin', operator: 'wmt_operator' },
  slack: {
    secret: 's3cret',
    fromEnvironment: false,
    parameterName: '/waf-maintenance/dev/slack-signing-secret',
  },
  ...overrides,
});

describe('readyBanner', () => {
  it('prints the edge on a line starting with `Edge:`, and what to open it for', () => {
    const banner = readyBanner(stack());
    expect(banner).toMatch(/^Edge: http:\/\/127\.0\.0\.1:8080$/m);
    expect(banner).toMatch(/^ {2}Open it in a browser: .*maintenance page while maintenance is on\.$/m);
  });

  it('keeps the API and token lines the tests and the README read', () => {
    const banner = readyBanner(stack());
    expect(banner).toMatch(/^ {2}API {13}http:\/\/127\.0\.0\.1:3000$/m);
    expect(banner).toMatch(/^ {2}Admin token {5}wmt_admin$/m);
    expect(banner).toMatch(/^ {2}Operator token {2}wmt_operator$/m);
  });

  it('says where announcements go without printing the webhook, a credential', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX';
    const banner = readyBanner(stack({ webhookUrl: url }));
    expect(banner).toMatch(/^ {2}Announcements {3}https:\/\/hooks\.slack\.com\/… \(SLACK_WEBHOOK_URL\)$/m);
    expect(banner).not.toContain('XXXXXXXX');
    expect(readyBanner(stack())).toMatch(/^ {2}Announcements {3}none \(set SLACK_WEBHOOK_URL/m);
  });

  it('says what the edge forwards to', () => {
    expect(readyBanner(stack())).toMatch(
      /^ {2}Origin {10}http:\/\/127\.0\.0\.1:41234 \(the sample site; set ORIGIN_URL/m,
    );
    const own = readyBanner(stack({ origin: { url: 'http://127.0.0.1:5173', sample: false } }));
    expect(own).toMatch(/^ {2}Origin {10}http:\/\/127\.0\.0\.1:5173 \(ORIGIN_URL\)$/m);
  });

  it('no longer prints the origin-error copy of the page as if it were what visitors get', () => {
    expect(readyBanner(stack())).not.toMatch(/^\s+Page\s/m);
  });

  it('prints no edge for a stage without a distribution', () => {
    const banner = readyBanner(stack({ edgeUrl: undefined }));
    expect(banner).not.toMatch(/Edge:|Origin {10}/);
  });
});
