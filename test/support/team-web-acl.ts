import type { Rule, VisibilityConfig } from '@aws-sdk/client-wafv2';

/*
 * The rules of a team's own web ACL, for the attach and detach tests: two kinds of statement and of
 * action, with the per-rule settings (custom response, labels, CAPTCHA immunity) a restatement must keep.
 */

export const visibility = (name: string): VisibilityConfig => ({
  SampledRequestsEnabled: true,
  CloudWatchMetricsEnabled: false,
  MetricName: name,
});

/** A rule a team might have at priority 0: block /admin with its own 403 body. */
export const BLOCK_ADMIN: Rule = {
  Name: 'block-admin',
  Priority: 0,
  Action: {
    Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: 'team-blocked' } },
  },
  Statement: {
    ByteMatchStatement: {
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'STARTS_WITH',
      SearchString: new TextEncoder().encode('/admin'),
      TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
    },
  },
  RuleLabels: [{ Name: 'team:admin' }],
  VisibilityConfig: visibility('block-admin'),
};

/** And one at priority 5 of another kind: a CAPTCHA for heavy hitters, with its own immunity time. */
export const RATE_CAPTCHA: Rule = {
  Name: 'rate-captcha',
  Priority: 5,
  Action: { Captcha: {} },
  CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 120 } },
  Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } },
  VisibilityConfig: visibility('rate-captcha'),
};

/** The two after `attach --renumber`, which gives the reference priority 0: one lower each, in order. */
export const RENUMBERED: Rule[] = [
  { ...BLOCK_ADMIN, Priority: 1 },
  { ...RATE_CAPTCHA, Priority: 6 },
];
