import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SlackSignatureInput {
  secret: string;
  /** The body exactly as Slack sent it (after base64-decoding, if API Gateway encoded it). */
  rawBody: string | Buffer;
  /** `X-Slack-Request-Timestamp`: Unix seconds, as Slack sent them. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=<64 hex>`. */
  signature: string | undefined;
  now: Date;
}

/** `reason` is for logs only: callers answer every refusal the same opaque way. */
export type SlackSignatureCheck = { ok: true } | { ok: false; reason: string };

/** How far a request's timestamp may be from our clock, either way: Slack's recommended replay window. */
export const SLACK_MAX_AGE_SECONDS = 300;

const VERSION = 'v0';
// Digits only: `Number()` would also accept ' 1', '+1', '1.0' and '1e9', each a different basestring from the same value.
const TIMESTAMP_PATTERN = /^\d{1,15}$/;
const DIGEST_PATTERN = /^[0-9a-fA-F]{64}$/;

/**
 * Checks that a request comes from Slack (signature scheme v0): the `X-Slack-Signature` header must be
 * the HMAC-SHA256, keyed with the signing secret, of `v0:{timestamp}:{raw body}`, and the timestamp must be
 * within {@link SLACK_MAX_AGE_SECONDS} of `now` in either direction, so a captured request cannot be replayed
 * later and a request stamped in the future (clock skew, or a forger) does not stay valid longer.
 *
 * The HMAC runs over bytes: a Buffer body is hashed as is, a string body as UTF-8, and the timestamp exactly
 * as sent. Run it before any body parser, which would re-encode the form. Digests are compared with
 * `timingSafeEqual`, so the time taken reveals nothing about how much of a forged digest was right.
 * An empty secret refuses everything: a misconfigured stage must not accept unsigned requests.
 * Never throws.
 *
 * @example
 * const check = verifySlackSignature({
 *   secret, rawBody, now: clock.now(),
 *   timestamp: headers['x-slack-request-timestamp'], signature: headers['x-slack-signature'],
 * });
 * if (!check.ok) logger.warn('refused Slack request', { reason: check.reason }); // answer 401
 */
export function verifySlackSignature(input: SlackSignatureInput): SlackSignatureCheck {
  try {
    return check(input);
  } catch {
    // Only input a type-checked caller cannot pass (a body that is neither string nor Buffer) gets here.
    return refuse('could not compute the signature');
  }
}

function check({ secret, rawBody, timestamp, signature, now }: SlackSignatureInput): SlackSignatureCheck {
  if (typeof secret !== 'string' || secret.length === 0) return refuse('no signing secret configured');
  if (!timestamp) return refuse('missing timestamp');
  if (!signature) return refuse('missing signature');
  if (!TIMESTAMP_PATTERN.test(timestamp)) return refuse('malformed timestamp');

  const skewMs = Math.abs(now.getTime() - Number(timestamp) * 1000);
  if (!(skewMs <= SLACK_MAX_AGE_SECONDS * 1000)) return refuse('timestamp outside the 5-minute window');

  const separator = signature.indexOf('=');
  if (separator < 0 || signature.slice(0, separator) !== VERSION)
    return refuse('unsupported signature version');
  const digest = signature.slice(separator + 1);
  if (!DIGEST_PATTERN.test(digest)) return refuse('malformed signature');

  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const expected = createHmac('sha256', secret)
    .update(`${VERSION}:${timestamp}:`, 'utf8')
    .update(body)
    .digest();
  // Both are 32 bytes here (the pattern fixed the length), as timingSafeEqual requires.
  const received = Buffer.from(digest, 'hex');
  if (!timingSafeEqual(received, expected)) return refuse('signature mismatch');
  return { ok: true };
}

function refuse(reason: string): SlackSignatureCheck {
  return { ok: false, reason };
}
