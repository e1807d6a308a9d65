// handlers/announce.ts builds its adapters at import, as in Lambda: give it a configuration that parses.
// Tests hand their own deps to createHandler, so its SSM client never sends anything.
process.env.SLACK_WEBHOOK_PARAMETER ??= '/waf-maintenance/unit/slack-webhook-url';
