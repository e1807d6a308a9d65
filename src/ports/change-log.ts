import type { ChangeRecord } from '../domain/maintenance-status';

/** Where each change's who/why/when is kept. The web ACL's label names the current record. */
export interface ChangeLog {
  record(change: ChangeRecord): Promise<void>;
  find(id: string): Promise<ChangeRecord | null>;
}
