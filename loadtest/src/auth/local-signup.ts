import { generateSync } from 'otplib';
import type { HttpTarget } from '../http/http-target.js';
import type { SimulatedDevice } from '../population/simulated-device.js';
import { forEachLimited } from '../run/for-each-limited.js';
import type { CredentialSource } from './credentials.js';

interface SmsChallenge {
  challengeId?: string;
  devCode?: string;
}

interface Session {
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number;
  deviceId?: string;
}

const SIGN_UP_CONCURRENCY = 16;

/**
 * Signs up through POST /v1/auth/sms + /v1/auth/verify, reading the code the server echoes in dev
 * mode; the official through /v1/auth/official/* with an authenticator code (enrolling one on a
 * fresh server, or from `officialTotpSecret`). Sessions are renewed with /v1/auth/refresh.
 */
export class LocalSignUp implements CredentialSource {
  readonly description = 'local sign-up flow (server must run with DEV_SMS_ECHO=1)';

  constructor(
    private readonly target: HttpTarget,
    private readonly officialPhone: string | undefined,
    private readonly officialTotpSecret?: string,
  ) {}

  async signInDevices(devices: SimulatedDevice[]): Promise<void> {
    await forEachLimited(devices, SIGN_UP_CONCURRENCY, async (device) => {
      const session = await this.signIn(device.phoneNumber);
      device.signedIn(session.accessToken!, session.deviceId ?? '', { refreshToken: session.refreshToken, expiresInSeconds: session.expiresIn });
    });
  }

  async signInOfficial(): Promise<string | undefined> {
    if (this.officialPhone === undefined) return undefined;
    const secret = this.officialTotpSecret ?? (await this.enrolOfficial(this.officialPhone));
    const challenge = await this.challenge('/v1/auth/official/sms', this.officialPhone);
    const verified = await this.target.json<Session>('POST', '/v1/auth/official/verify', { challengeId: challenge.challengeId, code: challenge.devCode, totp: generateSync({ secret }) });
    if (verified.status !== 200 || !verified.body.accessToken) {
      throw new Error(`POST /v1/auth/official/verify answered ${verified.status}: ${JSON.stringify(verified.body)}`);
    }
    return `Bearer ${verified.body.accessToken}`;
  }

  async refreshDue(devices: SimulatedDevice[], beforeMs: number): Promise<number> {
    const due = devices.filter((d) => d.refreshToken !== undefined && d.accessExpiresAtMs < beforeMs);
    await forEachLimited(due, SIGN_UP_CONCURRENCY, async (device) => {
      const refreshed = await this.target.json<Session>('POST', '/v1/auth/refresh', { refreshToken: device.refreshToken });
      if (refreshed.status !== 200 || !refreshed.body.accessToken) {
        throw new Error(`POST /v1/auth/refresh for device ${device.index} answered ${refreshed.status}: ${JSON.stringify(refreshed.body)}`);
      }
      device.signedIn(refreshed.body.accessToken, device.deviceId, { refreshToken: refreshed.body.refreshToken, expiresInSeconds: refreshed.body.expiresIn });
    });
    return due.length;
  }

  private async signIn(phoneNumber: string): Promise<Session> {
    const sms = await this.challenge('/v1/auth/sms', phoneNumber);
    const verify = await this.target.json<Session>('POST', '/v1/auth/verify', { challengeId: sms.challengeId, code: sms.devCode });
    if (verify.status !== 200 || !verify.body.accessToken) {
      throw new Error(`POST /v1/auth/verify for ${phoneNumber} answered ${verify.status}: ${JSON.stringify(verify.body)}`);
    }
    return verify.body;
  }

  private async enrolOfficial(phoneNumber: string): Promise<string> {
    const challenge = await this.challenge('/v1/auth/official/sms', phoneNumber);
    const enrolled = await this.target.json<{ secret?: string }>('POST', '/v1/auth/official/totp', { challengeId: challenge.challengeId, code: challenge.devCode });
    if (enrolled.status === 409) throw new Error(`the official ${phoneNumber} already has an authenticator: pass its secret with --official-totp-secret`);
    if (enrolled.status !== 200 || !enrolled.body.secret) throw new Error(`POST /v1/auth/official/totp answered ${enrolled.status}: ${JSON.stringify(enrolled.body)}`);
    return enrolled.body.secret;
  }

  private async challenge(path: string, phoneNumber: string): Promise<{ challengeId: string; devCode: string }> {
    const sms = await this.target.json<SmsChallenge>('POST', path, { phoneNumber });
    if (sms.status !== 202 || !sms.body.challengeId) {
      throw new Error(`POST ${path} for ${phoneNumber} answered ${sms.status}: ${JSON.stringify(sms.body)}`);
    }
    if (!sms.body.devCode) {
      throw new Error(`POST ${path} returned no devCode: start the server with DEV_SMS_ECHO=1 (and the official in OFFICIAL_PHONE_NUMBERS), or use --credentials`);
    }
    return { challengeId: sms.body.challengeId, devCode: sms.body.devCode };
  }
}
