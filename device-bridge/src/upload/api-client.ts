import { z } from 'zod';
import type { WireObservation } from '../ports/outbox-store.js';
import type { RelayApi, RelayUploadOutcome } from '../ports/relay-api.js';
import type { ContactsApi, DropCounts, TokenApi, TokenWindow, UploadOutcome } from '../ports/token-api.js';
import type { AuthSession } from './auth-session.js';
import { ApiError, BridgeError } from './errors.js';
import type { JsonHttp } from './http.js';

const tokensSchema = z.object({
  tokens: z.array(z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22}$/), validFrom: z.iso.datetime({ offset: true }), validUntil: z.iso.datetime({ offset: true }) })),
});
const acceptedSchema = z.object({
  batchId: z.string(),
  accepted: z.number().int().nonnegative(),
  // Reasons stay open: a newer backend may name one this bridge does not know yet.
  dropped: z.array(z.object({ index: z.number().int(), reason: z.string() })).optional(),
  clipped: z.array(z.object({ index: z.number().int() })).optional(),
});
const relayResultsSchema = z.object({
  results: z.array(
    z.object({
      index: z.number().int(),
      status: z.number().int(),
      outcome: z.enum(['accepted', 'duplicate', 'rejected']),
      code: z.string().optional(),
      ack: z.string().optional(),
    }),
  ),
});

/** The device-facing API v1 (tokens, contacts, relayed batches), authenticated through an {@link AuthSession}. */
export class BridgeApiClient implements TokenApi, ContactsApi, RelayApi {
  constructor(
    private readonly http: JsonHttp,
    private readonly auth: AuthSession,
  ) {}

  async fetchTokens(count: number): Promise<TokenWindow[]> {
    const res = await this.authed('/v1/tokens', { count });
    const parsed = tokensSchema.safeParse(res.body);
    if (!parsed.success) throw new BridgeError('bad_response', `unexpected /v1/tokens response: ${parsed.error.message}`);
    return parsed.data.tokens.map((t) => ({ token: t.token, validFrom: Date.parse(t.validFrom), validUntil: Date.parse(t.validUntil) }));
  }

  async postContacts(batchId: string, observations: readonly WireObservation[]): Promise<UploadOutcome> {
    try {
      const res = await this.authed('/v1/contacts', { batchId, observations });
      const parsed = acceptedSchema.safeParse(res.body);
      if (!parsed.success) return { kind: 'accepted', accepted: observations.length, dropped: {}, clipped: 0 };
      return { kind: 'accepted', accepted: parsed.data.accepted, dropped: countByReason(parsed.data.dropped ?? []), clipped: parsed.data.clipped?.length ?? 0 };
    } catch (err) {
      if (err instanceof ApiError) {
        if (err.status === 401 || err.transient) return { kind: 'retry', reason: err.message, retryAfterMs: err.retryAfterMs };
        return { kind: 'permanent', reason: err.message };
      }
      if (err instanceof BridgeError) return { kind: 'retry', reason: err.message };
      return { kind: 'retry', reason: String(err) };
    }
  }

  /** Relays sealed batches; every per-batch outcome comes back, also when the backend refused them all (4xx). */
  async postRelayBatches(envelopes: readonly Buffer[]): Promise<RelayUploadOutcome> {
    let body: unknown;
    try {
      body = (await this.authed('/v1/relay/batches', { batches: envelopes.map((e) => e.toString('base64url')) })).body;
    } catch (err) {
      if (err instanceof ApiError && !err.transient && err.status !== 401 && err.body !== undefined) body = (err.body as { error?: { details?: unknown } }).error?.details;
      else return { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
    }
    const parsed = relayResultsSchema.safeParse(body);
    if (!parsed.success) return { kind: 'retry', reason: `unexpected /v1/relay/batches response: ${parsed.error.message}` };
    return { kind: 'results', results: parsed.data.results.map((r) => ({ ...r, ack: r.ack === undefined ? undefined : Buffer.from(r.ack, 'base64url') })) };
  }

  /** POST with the bearer token; on 401 signs in again and retries once. */
  private async authed(path: string, body: unknown) {
    const token = await this.auth.accessToken();
    try {
      return await this.http.post(path, body, token);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      this.auth.invalidate(token);
      return this.http.post(path, body, await this.auth.accessToken());
    }
  }
}


function countByReason(dropped: readonly { reason: string }[]): DropCounts {
  const counts: Record<string, number> = {};
  for (const { reason } of dropped) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}
