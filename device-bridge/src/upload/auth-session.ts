import { z } from 'zod';
import { ApiError, AuthError, BridgeError } from './errors.js';
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

export const credentialsSchema = z.object({
  accessToken: z.string().min(1),
  deviceId: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  accessExpiresAt: z.number().optional(),
});

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

/** No session is stored: an operator has to sign in (`npm run bridge -- provision`). */
export class SignInRequiredError extends BridgeError {
  constructor(message = 'not signed in: run `npm run bridge -- provision --phone +E164`, then `… provision --code CODE`') {
    super('sign_in_required', message);
  }
}

export const sessionSchema = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1).optional(), expiresIn: z.number().optional() });
/** Renew this long before the access token expires. */
const REFRESH_MARGIN_MS = 120_000;

/**
 * The device's session: the access token, renewed with the single-use refresh token
 * (POST /v1/auth/refresh) shortly before it expires and after a 401, each new refresh token
 * persisted before it is used. It never sends an SMS: a session is started by the sign-in flow
 * (`sign-in-flow.ts`, on an operator's request), and when the backend refuses the refresh token
 * (the session ended, was revoked, or its token was reused) the session is dropped and
 * {@link SignInRequiredError} says so, until an operator signs in again: the store is read again
 * on every call, so a running bridge picks up a session provisioned meanwhile.
 */
export class AuthSession {
  private current: Credentials | undefined;
  private renewing: Promise<Credentials> | undefined;
  private ended: string | undefined;

  constructor(
    private readonly http: JsonHttp,
    private readonly options: { store: CredentialStore; now?: () => number },
  ) {
    this.current = options.store.load();
  }

  get deviceId(): string | undefined {
    return (this.current ?? this.options.store.load())?.deviceId;
  }

  /** Starts using a session the sign-in flow obtained (and stores it). */
  adopt(credentials: Credentials): void {
    this.options.store.save(credentials);
    this.current = credentials;
    this.ended = undefined;
  }

  async accessToken(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    this.current ??= this.options.store.load();
    const current = this.current;
    if (current === undefined) throw new SignInRequiredError(this.ended ? `${this.ended}; sign in again: \`npm run bridge -- provision --phone +E164\`, then \`… provision --code CODE\`` : undefined);
    if (current.accessExpiresAt === undefined || current.accessExpiresAt - REFRESH_MARGIN_MS > now) return current.accessToken;
    this.renewing ??= this.refresh(current).finally(() => (this.renewing = undefined));
    try {
      return (await this.renewing).accessToken;
    } catch (error) {
      // Renewing early failed (backend unreachable): the token still works until it expires.
      if (!(error instanceof SignInRequiredError) && current.accessExpiresAt > now) return current.accessToken;
      throw error;
    }
  }

  /** After a 401 for `token`: the next {@link accessToken} refreshes (or, without a refresh token, asks for a sign-in). */
  invalidate(token: string): void {
    if (this.current?.accessToken !== token) return;
    if (this.current.refreshToken) {
      this.current = { ...this.current, accessExpiresAt: 0 };
      this.options.store.save(this.current);
    } else this.end('the backend no longer accepts this session');
  }

  private async refresh(current: Credentials): Promise<Credentials> {
    if (!current.refreshToken) throw this.end('the session expired and has no refresh token');
    let response;
    try {
      response = await this.http.post('/v1/auth/refresh', { refreshToken: current.refreshToken });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) throw this.end(`the backend ended the session (${error.code})`);
      throw error;
    }
    const session = sessionSchema.safeParse(response.body);
    if (!session.success) throw new AuthError('session refresh failed: unexpected /v1/auth/refresh response');
    const renewed = { deviceId: current.deviceId, ...sessionCredentials(session.data, (this.options.now ?? Date.now)()) };
    this.options.store.save(renewed);
    this.current = renewed;
    return renewed;
  }

  private end(reason: string): SignInRequiredError {
    this.ended = reason;
    this.current = undefined;
    this.options.store.clear();
    return new SignInRequiredError(`${reason}; sign in again: \`npm run bridge -- provision --phone +E164\`, then \`… provision --code CODE\``);
  }
}

export function sessionCredentials(s: z.infer<typeof sessionSchema>, now: number): Omit<Credentials, 'deviceId'> {
  return { accessToken: s.accessToken, refreshToken: s.refreshToken, accessExpiresAt: s.expiresIn === undefined ? undefined : now + s.expiresIn * 1000 };
}
