import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AuthError } from './errors.js';
import type { JsonHttp } from './http.js';

export interface Credentials {
  accessToken: string;
  deviceId: string;
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

const credentialsSchema = z.object({ accessToken: z.string().min(1), deviceId: z.string().min(1) });
const challengeSchema = z.object({ challengeId: z.string().min(1), devCode: z.string().optional() });

/**
 * The device-facing sign-in (POST /v1/auth/sms then /v1/auth/verify). Concurrent callers share one
 * sign-in; {@link invalidate} after a 401 forces the next {@link accessToken} to sign in again.
 */
export class AuthSession {
  private current: Credentials | undefined;
  private signingIn: Promise<Credentials> | undefined;

  constructor(
    private readonly http: JsonHttp,
    private readonly options: { phoneNumber: string; codeProvider: SmsCodeProvider; store: CredentialStore },
  ) {
    this.current = options.store.load();
  }

  get deviceId(): string | undefined {
    return this.current?.deviceId;
  }

  async accessToken(): Promise<string> {
    if (this.current) return this.current.accessToken;
    this.signingIn ??= this.signIn().finally(() => (this.signingIn = undefined));
    return (await this.signingIn).accessToken;
  }

  /** Drops `token` if it is still the current one (another caller may already have refreshed it). */
  invalidate(token: string): void {
    if (this.current?.accessToken === token) {
      this.current = undefined;
      this.options.store.clear();
    }
  }

  private async signIn(): Promise<Credentials> {
    const { phoneNumber, codeProvider, store } = this.options;
    const sms = await this.http.post('/v1/auth/sms', { phoneNumber });
    const challenge = challengeSchema.safeParse(sms.body);
    if (!challenge.success) throw new AuthError('unexpected /v1/auth/sms response');
    const code = await codeProvider({ phoneNumber, ...challenge.data });
    const verified = await this.http.post('/v1/auth/verify', { challengeId: challenge.data.challengeId, code });
    const creds = credentialsSchema.safeParse(verified.body);
    if (!creds.success) throw new AuthError('unexpected /v1/auth/verify response');
    store.save(creds.data);
    this.current = creds.data;
    return creds.data;
  }
}
