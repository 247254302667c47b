import type { HttpTarget } from '../http/http-target.js';
import type { SimulatedDevice } from '../population/simulated-device.js';
import { forEachLimited } from '../run/for-each-limited.js';
import type { CredentialSource } from './credentials.js';

interface SmsChallenge {
  challengeId?: string;
  devCode?: string;
}

interface VerifyResponse {
  accessToken?: string;
  deviceId?: string;
}

const SIGN_UP_CONCURRENCY = 16;

/** Signs up through POST /v1/auth/sms + /v1/auth/verify, reading the code the server echoes in dev mode. */
export class LocalSignUp implements CredentialSource {
  readonly description = 'local sign-up flow (server must run with DEV_SMS_ECHO=1)';

  constructor(
    private readonly target: HttpTarget,
    private readonly officialPhone: string | undefined,
  ) {}

  async signInDevices(devices: SimulatedDevice[]): Promise<void> {
    await forEachLimited(devices, SIGN_UP_CONCURRENCY, async (device) => {
      const { accessToken, deviceId } = await this.signIn(device.phoneNumber);
      device.signedIn(accessToken, deviceId);
    });
  }

  async signInOfficial(): Promise<string | undefined> {
    if (this.officialPhone === undefined) return undefined;
    return `Bearer ${(await this.signIn(this.officialPhone)).accessToken}`;
  }

  private async signIn(phoneNumber: string): Promise<{ accessToken: string; deviceId: string }> {
    const sms = await this.target.json<SmsChallenge>('POST', '/v1/auth/sms', { phoneNumber });
    if (sms.status !== 202 || !sms.body.challengeId) {
      throw new Error(`POST /v1/auth/sms for ${phoneNumber} answered ${sms.status}: ${JSON.stringify(sms.body)}`);
    }
    if (!sms.body.devCode) {
      throw new Error('POST /v1/auth/sms returned no devCode: start the server with DEV_SMS_ECHO=1, or use --credentials');
    }
    const verify = await this.target.json<VerifyResponse>('POST', '/v1/auth/verify', {
      challengeId: sms.body.challengeId,
      code: sms.body.devCode,
    });
    if (verify.status !== 200 || !verify.body.accessToken) {
      throw new Error(`POST /v1/auth/verify for ${phoneNumber} answered ${verify.status}: ${JSON.stringify(verify.body)}`);
    }
    return { accessToken: verify.body.accessToken, deviceId: verify.body.deviceId ?? '' };
  }
}
