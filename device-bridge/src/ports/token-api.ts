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

export type UploadOutcome =
  | { kind: 'accepted'; accepted: number }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'permanent'; reason: string };

export interface ContactsApi {
  postContacts(batchId: string, observations: readonly WireObservation[]): Promise<UploadOutcome>;
}
