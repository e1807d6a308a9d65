/**
 * Roles are ordered: an admin can do everything an operator can.
 *
 * @example
 * hasRole('admin', 'operator') // true
 * hasRole('operator', 'admin') // false
 */
export const ROLES = ['operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is acting: a token's name or a Slack user, with the role they were granted. */
export interface Principal {
  name: string;
  role: Role;
}
