import { z } from 'zod';
import type { AuthSession } from './auth-session.js';
import { sessionCredentials, sessionSchema } from './auth-session.js';
import { ApiError, AuthError } from './errors.js';
import type { JsonHttp } from './http.js';

/** A code was sent and not entered yet: kept on disk so that entering it needs no new SMS. */
export interface PendingChallenge {
  phoneNumber: string;
  challengeId: string;
  requestedAt: number;
  /** The backend that sent it, so the second step needs no --api. */
  api: string;
}

export const pendingChallengeSchema = z.object({ phoneNumber: z.string(), challengeId: z.string().min(1), requestedAt: z.number(), api: z.string() });

export interface PendingStore {
  load(): PendingChallenge | undefined;
  save(pending: PendingChallenge): void;
  clear(): void;
}

/** How long the backend keeps a challenge open (docs/AUTH.md: 5 minutes, 5 wrong answers). */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000;

export type CodeOutcome =
  | { kind: 'signed_in'; deviceId: string }
  /** The code did not match; the same challenge takes another try. */
  | { kind: 'wrong_code' }
  /** The challenge is over (expired, unknown, too many wrong codes): only a new SMS helps. */
  | { kind: 'challenge_over'; reason: string }
  /** Too many wrong codes for this number lately: wait, then enter the code again. */
  | { kind: 'wait'; retryAfterSeconds: number | undefined; reason: string };

const challengeSchema = z.object({ challengeId: z.string().min(1), devCode: z.string().optional() });
const verifiedSchema = sessionSchema.extend({ deviceId: z.string().min(1) });

/**
 * The device sign-in in two resumable steps: {@link requestCode} (POST /v1/auth/sms) keeps the
 * challenge on disk; {@link enterCode} (POST /v1/auth/verify) completes it, as often as needed
 * for one challenge. Nothing here sends an SMS unless `requestCode` is called, which only an
 * operator's command does.
 */
export class SignInFlow {
  constructor(
    private readonly http: JsonHttp,
    private readonly api: string,
    private readonly stores: { pending: PendingStore; session: AuthSession },
    private readonly now: () => number = Date.now,
  ) {}

  get pending(): PendingChallenge | undefined {
    return this.stores.pending.load();
  }

  /** Sends an SMS code to `phoneNumber`; resolves with the challenge kept and, from a development server, the code. */
  async requestCode(phoneNumber: string): Promise<{ pending: PendingChallenge; devCode?: string }> {
    const sms = await this.http.post('/v1/auth/sms', { phoneNumber });
    const challenge = challengeSchema.safeParse(sms.body);
    if (!challenge.success) throw new AuthError('sign-in failed: unexpected /v1/auth/sms response');
    const pending = { phoneNumber, challengeId: challenge.data.challengeId, requestedAt: this.now(), api: this.api };
    this.stores.pending.save(pending);
    return challenge.data.devCode === undefined ? { pending } : { pending, devCode: challenge.data.devCode };
  }

  /** Answers the pending challenge with `code`. */
  async enterCode(code: string): Promise<CodeOutcome> {
    const pending = this.stores.pending.load();
    if (pending === undefined) throw new AuthError('no sign-in is pending: request a code first (provision --phone +E164)');
    let verified;
    try {
      verified = await this.http.post('/v1/auth/verify', { challengeId: pending.challengeId, code: code.trim() });
    } catch (error) {
      const outcome = codeRefusal(error);
      if (outcome === undefined) throw error;
      if (outcome.kind === 'challenge_over') this.stores.pending.clear();
      return outcome;
    }
    const session = verifiedSchema.safeParse(verified.body);
    if (!session.success) throw new AuthError('sign-in failed: unexpected /v1/auth/verify response');
    this.stores.session.adopt({ deviceId: session.data.deviceId, ...sessionCredentials(session.data, this.now()) });
    this.stores.pending.clear();
    return { kind: 'signed_in', deviceId: session.data.deviceId };
  }
}

/** What the backend's refusal of an SMS code means for the operator; undefined for other failures. */
export function codeRefusal(error: unknown): Exclude<CodeOutcome, { kind: 'signed_in' }> | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.code === 'code_mismatch' || error.code === 'validation_failed') return { kind: 'wrong_code' };
  if (['challenge_expired', 'challenge_invalid', 'challenge_exhausted', 'owner_verification_invalid'].includes(error.code)) return { kind: 'challenge_over', reason: error.code };
  if (error.status === 429) return { kind: 'wait', retryAfterSeconds: error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000), reason: error.code };
  return undefined;
}
