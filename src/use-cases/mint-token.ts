import { generateToken, hashToken, TOKEN_NAME_PATTERN } from '../domain/api-token';
import { ValidationError } from '../domain/errors';
import { isRole, type Role } from '../domain/roles';
import type { Clock } from '../ports/clock';
import type { TokenRegistry } from '../ports/token-registry';

/**
 * Issues a new API token.
 * 1. Check the name (letters, digits, `._@-`, up to 64) and the role.
 * 2. Generate 256 random bits; store only the SHA-256 with name, role and time (a taken name is a conflict).
 * 3. Return the token: this is the only time it exists outside the caller's hands.
 */
export async function mintToken(
  deps: { tokens: TokenRegistry; clock: Clock },
  input: { name: string; role: Role | string },
): Promise<{ token: string; name: string; role: Role }> {
  const errors = [];
  if (!TOKEN_NAME_PATTERN.test(input.name)) {
    errors.push({
      field: 'name',
      message: 'must be 1-64 letters, digits or ._@- starting with a letter or digit',
    });
  }
  if (!isRole(input.role)) errors.push({ field: 'role', message: 'must be operator or admin' });
  if (errors.length > 0 || !isRole(input.role)) throw new ValidationError(errors);

  const token = generateToken();
  await deps.tokens.create({
    name: input.name,
    role: input.role,
    hash: hashToken(token),
    createdAt: deps.clock.now().toISOString(),
  });
  return { token, name: input.name, role: input.role };
}
