import type { Role } from '../domain/roles';

/** An issued API token as stored: never the token itself, only its SHA-256. */
export interface TokenRecord {
  name: string;
  role: Role;
  hash: string;
  createdAt: string;
}

/**
 * Tokens are filed under a lookup key made of the first 16 hex digits of their SHA-256, so that finding one
 * never compares the secret part: the caller compares the full stored hash with the presented token's in
 * constant time.
 */
export function tokenLookupKey(hash: string): string {
  return hash.slice(0, 16);
}

export interface TokenRegistry {
  /** The token filed under `tokenLookupKey(hash)`, if any: its full hash still has to be compared. */
  findByHash(hash: string): Promise<TokenRecord | null>;
  /** Throws ConflictError if a token with that name exists. */
  create(record: TokenRecord): Promise<void>;
  list(): Promise<TokenRecord[]>;
  /** Returns false when no token has that name. */
  revoke(name: string): Promise<boolean>;
}
