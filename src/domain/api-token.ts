import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tokens look like `wmt_<43 base64url chars>`: 256 random bits, recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = 'wmt_';
const TOKEN_PATTERN = /^wmt_[A-Za-z0-9_-]{43}$/;
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/**
 * @example
 * const token = generateToken(); // 'wmt_Jx...'; shown once, never stored
 */
export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The stored form of a token. A fast hash is enough: the token has 256 bits of entropy, so there is
 * nothing to brute-force, unlike a password.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
