// Handler modules build their AWS adapters at import (as in Lambda); give them a configuration that
// parses. Tests hand their own deps to createHandler, so these clients never send anything.
process.env.RULE_GROUP_ARN ??=
  'arn:aws:wafv2:us-east-1:123456789012:global/rulegroup/unit/00000000-0000-0000-0000-000000000000';
process.env.WEB_ACL_ARNS ??=
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/unit/00000000-0000-0000-0000-000000000000';
process.env.TABLE_NAME ??= 'unit';
process.env.BYPASS_IPV4_ARN ??=
  'arn:aws:wafv2:us-east-1:123456789012:global/ipset/unit-v4/00000000-0000-0000-0000-000000000004';
process.env.BYPASS_IPV6_ARN ??=
  'arn:aws:wafv2:us-east-1:123456789012:global/ipset/unit-v6/00000000-0000-0000-0000-000000000006';
process.env.AWS_REGION ??= 'us-east-1';
process.env.SLACK_SIGNING_SECRET_PARAMETER ??= '/waf-maintenance/unit/slack-signing-secret';
process.env.SLACK_WORKER_FUNCTION ??= 'waf-maintenance-unit-slackWorker';
process.env.DISTRIBUTION_ID ??= 'E2UNIT00000000';
process.env.SITE_PAGE_URL ??= 'https://d111111abcdef8.cloudfront.net/maintenance/index.html';
process.env.SCHEDULE_GROUP ??= 'waf-maintenance-unit';
process.env.SCHEDULED_FUNCTION_ARN ??=
  'arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-unit-scheduled';
process.env.SCHEDULER_ROLE_ARN ??= 'arn:aws:iam::123456789012:role/waf-maintenance-unit-scheduler';
process.env.SLACK_WEBHOOK_PARAMETER ??= '/waf-maintenance/unit/slack-webhook-url';
