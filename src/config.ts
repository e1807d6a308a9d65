import * as z from 'zod/mini';

// zod/mini: the same validation with a tree-shakable API, about 80 KB less in every bundle.
const nonEmpty = () => z.string().check(z.minLength(1, 'is empty'));
const schema = z.object({
  /** The switch's rule group (the custom resource's `Arn`). */
  RULE_GROUP_ARN: nonEmpty(),
  TABLE_NAME: nonEmpty(),
  BYPASS_IPV4_ARN: nonEmpty(),
  BYPASS_IPV6_ARN: nonEmpty(),
  /** `hosted` (managed mode: the shell loads /maintenance/ assets) or `inline` (attach mode). */
  MAINTENANCE_PAGE: z._default(z.enum(['hosted', 'inline']), 'hosted'),
  /** Where visitors reach the site (`https://www.example.com`), for the bypass link's full URL; may be empty. */
  SITE_URL: z._default(z.string(), ''),
  AWS_REGION: z._default(nonEmpty(), 'us-east-1'),
});

export type Config = z.infer<typeof schema>;

/**
 * Parses the environment once, at cold start, and fails naming every missing or empty key at once,
 * rather than one per deploy.
 *
 * @example
 * const config = loadConfig(); // throws "Invalid configuration: RULE_GROUP_ARN is required; TABLE_NAME is required; ..."
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(schema, env);
}

export function parseEnv<T extends z.ZodMiniType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.');
    return issue.code === 'invalid_type' ? `${key} is required` : `${key} ${issue.message}`;
  });
  throw new Error(`Invalid configuration: ${problems.join('; ')}`);
}

const slackSchema = z.object({
  TABLE_NAME: nonEmpty(),
  SLACK_SIGNING_SECRET_PARAMETER: nonEmpty(),
  SLACK_WORKER_FUNCTION: nonEmpty(),
  // Only the local stack sets it (its fake Slack on http://127.0.0.1:); empty or unset admits Slack alone.
  SLACK_RESPONSE_URL_PREFIX: z.optional(z.string()),
  AWS_REGION: z._default(nonEmpty(), 'us-east-1'),
});

export type SlackConfig = z.infer<typeof slackSchema>;

/** The Slack acknowledgement's own configuration: it touches neither WAF nor the bypass sets. */
export function loadSlackConfig(env: NodeJS.ProcessEnv = process.env): SlackConfig {
  return parseEnv(slackSchema, env);
}

const commaList = z.pipe(
  z.string(),
  z.transform((value: string) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
);

const edgeSchema = z.object({
  /** Every web ACL that should carry the switch: the stack's own (managed mode), or `attachTo`'s. */
  WEB_ACL_ARNS: z.pipe(commaList, z.array(z.string()).check(z.minLength(1, 'names no web ACL'))),
  /** The stack's distribution and its page (managed mode); empty in attach mode. */
  DISTRIBUTION_ID: z._default(z.string(), ''),
  SITE_PAGE_URL: z._default(z.string(), ''),
  /** `by-web-acl` (AWS); `scan` where the emulator lacks ListDistributionsByWebACLId (the local stack). */
  DISTRIBUTION_LOOKUP: z._default(z.enum(['by-web-acl', 'scan']), 'by-web-acl'),
});

/** What GET /maintenance needs to look at the edge: the web ACLs, and the distribution and page of managed mode. */
export function loadEdgeConfig(env: NodeJS.ProcessEnv = process.env): z.infer<typeof edgeSchema> {
  return parseEnv(edgeSchema, env);
}

const timerSchema = z.object({
  /** The stage's EventBridge Scheduler group (`waf-maintenance-<stage>`). */
  SCHEDULE_GROUP: nonEmpty(),
  /** The scheduled function every timer invokes, and the role Scheduler invokes it with. */
  SCHEDULED_FUNCTION_ARN: nonEmpty(),
  SCHEDULER_ROLE_ARN: nonEmpty(),
  AWS_REGION: z._default(nonEmpty(), 'us-east-1'),
  /** How often a reminder repeats while maintenance is on past its expected end: 15 minutes by default. */
  REMINDER_INTERVAL_SECONDS: z
    .pipe(
      z._default(z.string(), '900'),
      z.transform((value: string) => Number(value)),
    )
    .check(
      z.refine((n: number) => Number.isSafeInteger(n) && n >= 1 && n <= 86_400, 'must be 1 to 86400 seconds'),
    ),
});

export type TimerConfig = z.infer<typeof timerSchema>;

/** What the functions that plan, cancel and run windows need besides the table: the scheduler's group, target and role. */
export function loadTimerConfig(env: NodeJS.ProcessEnv = process.env): TimerConfig {
  return parseEnv(timerSchema, env);
}
