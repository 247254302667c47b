/**
 * What officials did, for accountability: who, when, what and how many that day. Never patient
 * data: no codes, devices or cases.
 */
export interface AuditEntry {
  /** The official's subject. */
  actor: string;
  action: 'verification_code_issued';
  at: Date;
  /** How many of this action the actor has done in the UTC day of `at`, this one included. */
  countToday: number;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** The actor's entries at or after `since`, oldest first. */
  listFor(actor: string, since: Date): Promise<AuditEntry[]>;
  /** Deletes entries older than `before`; returns how many. */
  purgeOlderThan(before: Date): Promise<number>;
}
