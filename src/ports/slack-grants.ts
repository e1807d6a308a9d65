import type { Role } from '../domain/roles';

/** A Slack user's grant: the role their user ID acts with. */
export interface SlackGrant {
  userId: string;
  role: Role;
  grantedAt: string;
}

/** Who may use /maintenance from Slack. An ungranted user changes nothing. */
export interface SlackGrants {
  /** The role granted to `userId`, or null when none is. */
  roleOf(userId: string): Promise<Role | null>;
  /** Grants or replaces the user's role. */
  grant(grant: SlackGrant): Promise<void>;
  /** Returns false when the user had no grant. */
  revoke(userId: string): Promise<boolean>;
  list(): Promise<SlackGrant[]>;
}
