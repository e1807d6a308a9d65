import { SLACK_MAX_AGE_SECONDS } from '../domain/slack-signature';

/** A verified Slack request, as the replay guard records it. */
export interface SignatureSighting {
  /** The signature's 64 hex digits, lower-case. */
  digest: string;
  /** Unix seconds after which the record may go: by then the request fails the 5-minute window anyway. */
  expiresAt: number;
}

/**
 * Remembers which signed Slack requests were already seen. A signature is an HMAC over the timestamp and
 * the body, so the same signature is the same request: a second sighting within the window is a replay.
 */
export interface SlackReplayGuard {
  /**
   * Records the sighting; true the first time, false when the digest was already recorded (a replay).
   * Atomic: of two identical requests arriving at once, exactly one gets true.
   */
  firstSighting(sighting: SignatureSighting): Promise<boolean>;
}

/**
 * Seconds a record outlives the window: the clock that expires records (DynamoDB's) and ours may disagree
 * by a few seconds, and a record gone early would let the request through once more.
 */
export const REPLAY_RECORD_MARGIN_SECONDS = 60;

/**
 * The sighting of a request whose signature has just been verified. The hex digits are lower-cased: they
 * are case-insensitive, so `v0=AB12...` and `v0=ab12...` verify alike and must be one record. The record
 * lasts until the end of the request's window (its timestamp plus 5 minutes, which for a request stamped
 * ahead of our clock is later than now plus 5 minutes) and the margin.
 *
 * @example
 * signatureSighting('v0=A1B2...', '1795428000'); // { digest: 'a1b2...', expiresAt: 1795428360 }
 */
export function signatureSighting(signature: string, timestamp: string): SignatureSighting {
  return {
    digest: signature.slice(signature.indexOf('=') + 1).toLowerCase(),
    expiresAt: Number(timestamp) + SLACK_MAX_AGE_SECONDS + REPLAY_RECORD_MARGIN_SECONDS,
  };
}
