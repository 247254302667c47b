import { randomInt } from 'node:crypto';
import { generateSync } from 'otplib';
import type { HttpTarget } from '../http/http-target.js';
import { FICTIONAL_PHONE_NUMBERS, fictionalPhoneNumbers } from '../population/fictional-phone-numbers.js';
import type { SimulatedDevice } from '../population/simulated-device.js';
import { forEachLimited } from '../run/for-each-limited.js';
import type { CredentialSource } from './credentials.js';
import type { OfficialSessionStore } from './official-session-store.js';
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

interface ApiError {
  error?: { code?: string };
}

const SIGN_UP_CONCURRENCY = 16;
/** RFC 6238's step, as the server and authenticator apps use it. */
const TOTP_PERIOD_SECONDS = 30;

const isTotpMismatch = (response: { status: number; body: ApiError | undefined }) => response.status === 401 && response.body?.error?.code === 'totp_mismatch';

/**
 * Signs devices up through POST /v1/auth/sms + /v1/auth/verify, reading the code the server echoes in
 * dev mode; the official through /v1/auth/official/* with an authenticator code (enrolling one on a fresh
 * server, or from `officialTotpSecret`), or by resuming the official's session of an earlier run from
 * `officialSessions`. Sessions are renewed with POST /v1/auth/refresh; a device whose server issued no
 * refresh token (an older server) signs in again.
 */
export class LocalSignUp implements CredentialSource {
  readonly description = 'the SMS sign-up flow (server must run with DEV_SMS_ECHO=1)';
  /** One generated number per device, all fictional; the official's own number may take one of them. */
  readonly maxDevices = FICTIONAL_PHONE_NUMBERS - 1;
  readonly maxDevicesReason = 'one fictional phone number each; load larger populations with --credentials';
  readonly officialLabel: string | undefined;
  officialNotice: string | undefined;

  constructor(
    private readonly target: HttpTarget,
    private readonly officialPhone: string | undefined,
    private readonly officialTotpSecret?: string,
    private readonly officialSessions?: OfficialSessionStore,
  ) {
    this.officialLabel = officialPhone === undefined ? undefined : `--official-phone ${officialPhone}`;
  }

  /** Fictional numbers from a random place in the range, so that runs rarely sign in the same numbers again. */
  logins(count: number): string[] {
    return fictionalPhoneNumbers(count, randomInt(FICTIONAL_PHONE_NUMBERS), new Set(this.officialPhone === undefined ? [] : [this.officialPhone]));
  }

  /** None: without a refresh token a device signs in again. */
  strandedBy(): string[] {
    return [];
  }

  async signInDevices(devices: SimulatedDevice[]): Promise<void> {
    await forEachLimited(devices, SIGN_UP_CONCURRENCY, async (device) => {
      const issued = await this.signIn(device.login);
      device.signedIn(new Session(device.login, issued), issued.deviceId ?? '');
    });
  }

  async signInOfficial(): Promise<Session | undefined> {
    if (this.officialPhone === undefined) return undefined;
    const session = (await this.resumeOfficial(this.officialPhone)) ?? (await this.signInOfficialAfresh(this.officialPhone));
    this.officialSessions?.save(session.refreshToken);
    return session;
  }

  /** The session an earlier run against this server left, renewed; undefined when there is none or it is refused. */
  private async resumeOfficial(phoneNumber: string): Promise<Session | undefined> {
    const refreshToken = this.officialSessions?.load();
    if (refreshToken === undefined) return undefined;
    const response = await this.target.json<IssuedSession>('POST', '/v1/auth/refresh', { refreshToken });
    if (response.status !== 200 || !response.body?.accessToken) return undefined;
    this.officialNotice = `resumed its session of an earlier run (${this.officialSessions!.file}): no SMS sent`;
    return new Session(phoneNumber, { accessToken: response.body.accessToken, refreshToken: response.body.refreshToken ?? refreshToken });
  }

  private async signInOfficialAfresh(phoneNumber: string): Promise<Session> {
    let secret = this.officialTotpSecret;
    if (secret === undefined) {
      secret = await this.enrolOfficial(phoneNumber);
      this.officialNotice = `enrolled an authenticator for ${phoneNumber}: pass --official-totp-secret ${secret} to later runs against this server`;
    }
    // A code works once: when this official signed in moments ago (an earlier run, another tool), the
    // current code is spent, and the server's one step of tolerance accepts the next one. A wrong code
    // costs the challenge an attempt but keeps it, so the retry sends no second SMS.
    const challenge = await this.officialChallenge(phoneNumber);
    let verified = await this.verifyOfficial(challenge, generateSync({ secret }));
    if (isTotpMismatch(verified)) {
      const retried = await this.verifyOfficial(challenge, generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + TOTP_PERIOD_SECONDS }));
      if (retried.status !== 200) {
        throw new Error(
          `its authenticator code was refused (totp_mismatch): ${this.officialTotpSecret === undefined ? 'is the clock of this machine right?' : '--official-totp-secret is not the secret this official enrolled, or the clock of this machine is wrong'}`,
        );
      }
      verified = retried;
    }
    if (verified.status !== 200 || !verified.body?.accessToken) {
      throw new Error(`POST /v1/auth/official/verify answered ${verified.status}: ${JSON.stringify(verified.body)}`);
    }
    return new Session(phoneNumber, { accessToken: verified.body.accessToken, refreshToken: verified.body.refreshToken });
  }

  async refresh(session: Session): Promise<void> {
    if (session.refreshToken === undefined) {
      if (session.login === this.officialPhone) throw new Error(`${session.login}: the official's session has no refresh token`);
      session.update(await this.signIn(session.login));
      return;
    }
    const response = await this.target.json<IssuedSession>('POST', '/v1/auth/refresh', { refreshToken: session.refreshToken });
    if (response.status !== 200 || !response.body?.accessToken) {
      throw new Error(`POST /v1/auth/refresh for ${session.login} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    session.update({ accessToken: response.body.accessToken, refreshToken: response.body.refreshToken });
    if (session.login === this.officialPhone) this.officialSessions?.save(session.refreshToken);
  }

  close(): void {}

  private async signIn(phoneNumber: string): Promise<IssuedSession & { accessToken: string }> {
    const sms = await this.challenge('/v1/auth/sms', phoneNumber);
    if (!sms.devCode) throw new Error('POST /v1/auth/sms returned no devCode: start the server with DEV_SMS_ECHO=1, or use --credentials');
    const verify = await this.target.json<IssuedSession>('POST', '/v1/auth/verify', { challengeId: sms.challengeId, code: sms.devCode });
    if (verify.status !== 200 || !verify.body?.accessToken) {
      throw new Error(`POST /v1/auth/verify for ${phoneNumber} answered ${verify.status}: ${JSON.stringify(verify.body)}`);
    }
    return { ...verify.body, accessToken: verify.body.accessToken };
  }

  private verifyOfficial(challenge: { challengeId: string; devCode: string }, totp: string) {
    return this.target.json<IssuedSession & ApiError>('POST', '/v1/auth/official/verify', { challengeId: challenge.challengeId, code: challenge.devCode, totp });
  }

  private async enrolOfficial(phoneNumber: string): Promise<string> {
    const challenge = await this.officialChallenge(phoneNumber);
    const enrolled = await this.target.json<{ secret?: string }>('POST', '/v1/auth/official/totp', { challengeId: challenge.challengeId, code: challenge.devCode });
    if (enrolled.status === 409) throw new Error('it already has an authenticator: pass its secret with --official-totp-secret (an earlier run that enrolled it printed it)');
    if (enrolled.status !== 200 || !enrolled.body?.secret) throw new Error(`POST /v1/auth/official/totp answered ${enrolled.status}: ${JSON.stringify(enrolled.body)}`);
    return enrolled.body.secret;
  }

  /** The server answers every number alike but sends (and echoes) a code only to its officials. */
  private async officialChallenge(phoneNumber: string): Promise<{ challengeId: string; devCode: string }> {
    const sms = await this.challenge('/v1/auth/official/sms', phoneNumber);
    if (!sms.devCode) {
      throw new Error("the server issued no code for it: it is not one of the server's OFFICIAL_PHONE_NUMBERS, or the server runs without DEV_SMS_ECHO=1");
    }
    return { challengeId: sms.challengeId, devCode: sms.devCode };
  }

  private async challenge(path: string, phoneNumber: string): Promise<{ challengeId: string; devCode: string | undefined }> {
    const sms = await this.target.json<SmsChallenge>('POST', path, { phoneNumber });
    if (sms.status !== 202 || !sms.body?.challengeId) {
      throw new Error(`POST ${path} for ${phoneNumber} answered ${sms.status}: ${JSON.stringify(sms.body)}`);
    }
    return { challengeId: sms.body.challengeId, devCode: sms.body.devCode };
  }
}
