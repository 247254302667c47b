import type { WireObservation } from './outbox-store.js';

/** A server-confirmed token window as returned by POST /v1/tokens. */
export interface TokenWindow {
  /** 22-char base64url of the 16 token bytes. */
  token: string;
  validFrom: number;
  validUntil: number;
}

export interface TokenApi {
  fetchTokens(count: number): Promise<TokenWindow[]>;
}

/**
 * Observations of an accepted batch that the backend did not keep, counted by its reason
 * (`unknown_token`, `outside_window`, `too_old`, `self_contact`, or any reason a newer backend adds).
 */
export type DropCounts = Readonly<Record<string, number>>;

export type UploadOutcome =
  | { kind: 'accepted'; accepted: number; dropped: DropCounts; clipped: number }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'permanent'; reason: string };

export interface ContactsApi {
  postContacts(batchId: string, observations: readonly WireObservation[]): Promise<UploadOutcome>;
}
