import { generateSync } from 'otplib';
import type { JsonApi } from './json-api.js';

export interface BackendStats {
  queue: { backlog: number; inFlight: number; deadLettered: number; oldestAgeSeconds: number };
  batchesProcessed: number;
  observationsProcessed: number;
  contactsStored: number;
  cases: number;
  notifications: number;
  notificationsRaised: number;
  tracing: { waiting: number; deadLettered: number };
  dropped: { today: Record<string, number>; lastSevenDays: Record<string, number> };
}

export interface RelayOperations {
  relays: { delivered: number; duplicates: number; rejected: number }[];
  devices: { gaps: number; missingBatches: number; droppedByDevice: number }[];
  rejections: Record<string, number>;
  ownerAlerts: { sent: number; rateLimited: number; failed: number };
}

interface Session {
  accessToken: string;
  /** When to sign in again, on the identity provider's clock. */
  renewAt: number;
}

/**
 * The town's health official: signs in with an SMS code and an authenticator code (enrolled on
 * first sign-in), issues verification codes to people who tested positive, and reads the
 * operations views. The authenticator runs on the identity provider's clock (the town's for the
 * embedded backend, the wall clock for Cognito).
 */
export class OfficialDesk {
  private session: Session | undefined;
  private totpSecret: string | undefined;
  private signingIn: Promise<string> | undefined;
  codesIssued = 0;

  constructor(
    private readonly api: JsonApi,
    private readonly phoneNumber: string,
    private readonly identityNow: () => number,
    /**
     * Given each sign-in: the SMS challenge and the authenticator code are checked on the
     * identity provider's clock, which must not run past them meanwhile (the town's clock waits).
     */
    private readonly holdClock: <T>(signIn: Promise<T>) => Promise<T> = (signIn) => signIn,
  ) {}

  async issueVerificationCode(): Promise<string> {
    const { code } = await this.api.post<{ code: string }>('/v1/admin/verification-codes', {}, await this.token());
    this.codesIssued++;
    return code;
  }

  async stats(): Promise<BackendStats> {
    return this.api.get<BackendStats>('/v1/admin/stats', await this.token());
  }

  async relayOperations(): Promise<RelayOperations> {
    return this.api.get<RelayOperations>('/v1/admin/relay-operations', await this.token());
  }

  async tokenFlags(): Promise<number> {
    return (await this.api.get<{ flags: unknown[] }>('/v1/admin/token-flags', await this.token())).flags.length;
  }

  /** One sign-in at a time: a new SMS challenge replaces the number's previous one. */
  private token(): Promise<string> {
    if (this.session && this.identityNow() < this.session.renewAt) return Promise.resolve(this.session.accessToken);
    this.signingIn ??= this.holdClock(this.signIn()).finally(() => (this.signingIn = undefined));
    return this.signingIn;
  }

  private async signIn(): Promise<string> {
    if (this.totpSecret === undefined) {
      const enrolment = await this.smsChallenge();
      this.totpSecret = (await this.api.post<{ secret: string }>('/v1/auth/official/totp', enrolment)).secret;
    }
    const challenge = await this.smsChallenge();
    const totp = generateSync({ secret: this.totpSecret, epoch: Math.floor(this.identityNow() / 1000) });
    const verified = await this.api.post<{ accessToken: string; expiresIn: number }>('/v1/auth/official/verify', { ...challenge, totp });
    this.session = { accessToken: verified.accessToken, renewAt: this.identityNow() + (verified.expiresIn - 300) * 1000 };
    return verified.accessToken;
  }

  private async smsChallenge(): Promise<{ challengeId: string; code: string }> {
    const challenge = await this.api.post<{ challengeId: string; devCode?: string }>('/v1/auth/official/sms', { phoneNumber: this.phoneNumber });
    if (!challenge.devCode) throw new Error('the demo backend must echo SMS codes (DEV_SMS_ECHO=1)');
    return { challengeId: challenge.challengeId, code: challenge.devCode };
  }
}
