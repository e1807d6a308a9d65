import type { WebACL } from '@aws-sdk/client-wafv2';

/** A web ACL as read, with the lock token that a write must present. */
export interface VersionedWebAcl {
  acl: WebACL;
  lockToken: string;
}

/**
 * The one web ACL the switch controls.
 * `get` throws MisconfiguredError if it does not exist; `put` throws StaleLockError when the lock token is
 * no longer current and ThrottledError when AWS asks to slow down; both throw UpstreamError otherwise.
 */
export interface WebAclStore {
  get(): Promise<VersionedWebAcl>;
  /** Writes the whole document back: whatever is not in `acl` is gone afterwards, as in AWS. */
  put(acl: WebACL, lockToken: string): Promise<void>;
}
