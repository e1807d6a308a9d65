import { hashToken, isWellFormedToken, sameHash } from '../domain/api-token';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors';
import { hasRole, type Principal, type Role } from '../domain/roles';
import type { TokenRegistry } from '../ports/token-registry';

/**
 * Resolves a bearer token to the principal it was issued to, and checks its role.
 * 1. Refuse anything that is not a well-formed token before touching storage.
 * 2. Look the token up by a prefix of its SHA-256; compare the full stored digest in constant time, so
 *    nothing about a token's secret part is learned from timing.
 * 3. Refuse a role below `required` (403); an unknown token is 401.
 */
export async function authenticate(
  deps: { tokens: TokenRegistry },
  input: { token: string | undefined; required: Role },
): Promise<Principal> {
  const { token, required } = input;
  if (!token || !isWellFormedToken(token)) throw new UnauthenticatedError();
  const hash = hashToken(token);
  const record = await deps.tokens.findByHash(hash);
  if (!record || !sameHash(record.hash, hash)) throw new UnauthenticatedError();
  if (!hasRole(record.role, required)) {
    throw new ForbiddenError(`Token "${record.name}" has role ${record.role}; this needs ${required}.`);
  }
  return { name: record.name, role: record.role };
}
