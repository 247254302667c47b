import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ApiError, AuthError } from './errors.js';
import type { JsonHttp } from './http.js';

export interface Credentials {
  accessToken: string;
  deviceId: string;
  /** Single use: every refresh stores the next one (an unattended bridge never needs a new SMS). */
  refreshToken?: string | undefined;
  /** When the access token expires, epoch ms. */
  accessExpiresAt?: number | undefined;
}

export interface CredentialStore {
  load(): Credentials | undefined;
  save(credentials: Credentials): void;
  clear(): void;
}

/** Credentials in a 0600 JSON file next to the outbox, so a restart does not need a new sign-in. */
export class FileCredentialStore implements CredentialStore {
  constructor(private readonly path: string) {}

  load(): Credentials | undefined {
    try {
      return credentialsSchema.parse(JSON.parse(readFileSync(this.path, 'utf8')));
    } catch {
      return undefined;
    }
  }

  save(credentials: Credentials): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(credentials), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}

export class MemoryCredentialStore implements CredentialStore {
  private value: Credentials | undefined;
  load(): Credentials | undefined {
    return this.value;
  }
  save(credentials: Credentials): void {
    this.value = credentials;
  }
  clear(): void {
    this.value = undefined;
  }
}

export interface SmsChallenge {
  phoneNumber: string;
  challengeId: string;
  /** Only present when the server runs with DEV_SMS_ECHO=1. */
  devCode?: string;
}

/** Obtains the SMS code: from --sms-code, the dev echo, or an operator prompt. */
export type SmsCodeProvider = (challenge: SmsChallenge) => Promise<string>;

const credentialsSchema = z.object({
  accessToken: z.string().min(1),
  deviceId: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  accessExpiresAt: z.number().optional(),
});
const sessionSchema = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1).optional(), expiresIn: z.number().optional() });
/** Renew this long before the access token expires. */
const REFRESH_MARGIN_MS = 120_000;
const challengeSchema = z.object({ challengeId: z.string().min(1), devCode: z.string().optional() });

/**
 * The device-facing session: SMS sign-in (POST /v1/auth/sms then /v1/auth/verify) once, then the
 * access token is renewed with the refresh token (POST /v1/auth/refresh) shortly before it
 * expires, so an unattended bridge signs in by SMS only when its session ends (90 days by
 * default) or its refresh token is refused. Each new refresh token is persisted before use.
 * Concurrent callers share one sign-in or refresh; {@link invalidate} after a 401 forces a refresh.
 */
export class AuthSession {
  private current: Credentials | undefined;
  private renewing: Promise<Credentials> | undefined;

  constructor(
    private readonly http: JsonHttp,
    private readonly options: { phoneNumber: string; codeProvider: SmsCodeProvider; store: CredentialStore; now?: () => number },
  ) {
    this.current = options.store.load();
  }

  get deviceId(): string | undefined {
    return this.current?.deviceId;
  }

  async accessToken(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const current = this.current;
    if (current && (current.accessExpiresAt === undefined || current.accessExpiresAt - REFRESH_MARGIN_MS > now)) return current.accessToken;
    this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    try {
      return (await this.renewing).accessToken;
    } catch (error) {
      // Renewing early failed (backend unreachable): the token still works until it expires.
      if (current?.accessExpiresAt !== undefined && current.accessExpiresAt > now) return current.accessToken;
      throw error;
    }
  }

  /** After a 401 for `token`: the next {@link accessToken} refreshes (or signs in, without a refresh token). */
  invalidate(token: string): void {
    if (this.current?.accessToken !== token) return;
    if (this.current.refreshToken) {
      this.current = { ...this.current, accessExpiresAt: 0 };
      this.options.store.save(this.current);
    } else {
      this.current = undefined;
      this.options.store.clear();
    }
  }

  private async renew(): Promise<Credentials> {
    const refreshToken = this.current?.refreshToken;
    if (!refreshToken || !this.current) return this.signIn();
    let response;
    try {
      response = await this.http.post('/v1/auth/refresh', { refreshToken });
    } catch (error) {
      // Refused (expired, revoked, or reused elsewhere): only a new SMS sign-in helps.
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) return this.signIn();
      throw error;
    }
    const session = sessionSchema.safeParse(response.body);
    if (!session.success) throw new AuthError('unexpected /v1/auth/refresh response');
    return this.keep({ deviceId: this.current.deviceId, ...this.sessionOf(session.data) });
  }

  private sessionOf(s: z.infer<typeof sessionSchema>): Omit<Credentials, 'deviceId'> {
    return {
      accessToken: s.accessToken,
      refreshToken: s.refreshToken,
      accessExpiresAt: s.expiresIn === undefined ? undefined : (this.options.now ?? Date.now)() + s.expiresIn * 1000,
    };
  }

  private keep(credentials: Credentials): Credentials {
    this.options.store.save(credentials);
    this.current = credentials;
    return credentials;
  }

  private async signIn(): Promise<Credentials> {
    const { phoneNumber, codeProvider } = this.options;
    const sms = await this.http.post('/v1/auth/sms', { phoneNumber });
    const challenge = challengeSchema.safeParse(sms.body);
    if (!challenge.success) throw new AuthError('unexpected /v1/auth/sms response');
    const code = await codeProvider({ phoneNumber, ...challenge.data });
    const verified = await this.http.post('/v1/auth/verify', { challengeId: challenge.data.challengeId, code });
    const session = sessionSchema.safeParse(verified.body);
    const deviceId = z.object({ deviceId: z.string().min(1) }).safeParse(verified.body);
    if (!session.success || !deviceId.success) throw new AuthError('unexpected /v1/auth/verify response');
    return this.keep({ deviceId: deviceId.data.deviceId, ...this.sessionOf(session.data) });
  }
}
