import type { Role } from '../domain/roles';

/** An issued API token as stored: never the token itself, only its SHA-256. */
export interface TokenRecord {
  name: string;
  role: Role;
  hash: string;
  createdAt: string;
}

export interface TokenRegistry {
  findByHash(hash: string): Promise<TokenRecord | null>;
  /** Throws ConflictError if a token with that name exists. */
  create(record: TokenRecord): Promise<void>;
  list(): Promise<TokenRecord[]>;
  /** Returns false when no token has that name. */
  revoke(name: string): Promise<boolean>;
}
