import { randomInt } from 'node:crypto';
import type { HttpTarget } from '../http/http-target.js';
import { FICTIONAL_PHONE_NUMBERS, fictionalPhoneNumbers } from '../population/fictional-phone-numbers.js';
import type { SimulatedDevice } from '../population/simulated-device.js';
import { forEachLimited } from '../run/for-each-limited.js';
import type { CredentialSource } from './credentials.js';
import { Session } from './session.js';

interface SmsChallenge {
  challengeId?: string;
  devCode?: string;
}

interface IssuedSession {
  accessToken?: string;
  refreshToken?: string;
  deviceId?: string;
}

const SIGN_UP_CONCURRENCY = 16;

/**
 * Signs up through POST /v1/auth/sms + /v1/auth/verify, reading the code the server echoes in dev mode,
 * and keeps sessions alive with POST /v1/auth/refresh where the server issued a refresh token (else by
 * signing in again).
 */
export class LocalSignUp implements CredentialSource {
  readonly description = 'the SMS sign-up flow (server must run with DEV_SMS_ECHO=1)';
  /** One generated number per device, all fictional; the official's own number may take one of them. */
  readonly maxDevices = FICTIONAL_PHONE_NUMBERS - 1;
  readonly maxDevicesReason = 'one fictional phone number each; load larger populations with --credentials';
  readonly officialLabel: string | undefined;

  constructor(
    private readonly target: HttpTarget,
    private readonly officialPhone: string | undefined,
  ) {
    this.officialLabel = officialPhone === undefined ? undefined : `--official-phone ${officialPhone}`;
  }

  /** Fictional numbers from a random place in the range, so that runs rarely sign in the same numbers again. */
  logins(count: number): string[] {
    return fictionalPhoneNumbers(count, randomInt(FICTIONAL_PHONE_NUMBERS), new Set(this.officialPhone === undefined ? [] : [this.officialPhone]));
  }

  async signInDevices(devices: SimulatedDevice[]): Promise<void> {
    await forEachLimited(devices, SIGN_UP_CONCURRENCY, async (device) => {
      const issued = await this.signIn(device.login);
      device.signedIn(new Session(device.login, issued), issued.deviceId ?? '');
    });
  }

  async signInOfficial(): Promise<Session | undefined> {
    if (this.officialPhone === undefined) return undefined;
    return new Session(this.officialPhone, await this.signIn(this.officialPhone));
  }

  /** None: without a refresh token (a server older than POST /v1/auth/refresh) a device signs in again. */
  strandedBy(): string[] {
    return [];
  }

  async refresh(session: Session): Promise<void> {
    if (session.refreshToken === undefined) {
      session.update(await this.signIn(session.login));
      return;
    }
    const response = await this.target.json<IssuedSession>('POST', '/v1/auth/refresh', { refreshToken: session.refreshToken });
    if (response.status !== 200 || !response.body?.accessToken) {
      throw new Error(`POST /v1/auth/refresh for ${session.login} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    session.update({ accessToken: response.body.accessToken, refreshToken: response.body.refreshToken });
  }

  close(): void {}

  private async signIn(phoneNumber: string): Promise<IssuedSession & { accessToken: string }> {
    const sms = await this.target.json<SmsChallenge>('POST', '/v1/auth/sms', { phoneNumber });
    if (sms.status !== 202 || !sms.body?.challengeId) {
      throw new Error(`POST /v1/auth/sms for ${phoneNumber} answered ${sms.status}: ${JSON.stringify(sms.body)}`);
    }
    if (!sms.body.devCode) {
      throw new Error('POST /v1/auth/sms returned no devCode: start the server with DEV_SMS_ECHO=1, or use --credentials');
    }
    const verify = await this.target.json<IssuedSession>('POST', '/v1/auth/verify', { challengeId: sms.body.challengeId, code: sms.body.devCode });
    if (verify.status !== 200 || !verify.body?.accessToken) {
      throw new Error(`POST /v1/auth/verify for ${phoneNumber} answered ${verify.status}: ${JSON.stringify(verify.body)}`);
    }
    return { ...verify.body, accessToken: verify.body.accessToken };
  }
}
