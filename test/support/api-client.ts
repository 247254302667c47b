import { generateSync } from 'otplib';

/** A small client for the API v1, for tests: real HTTP via fetch. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private accessToken?: string,
  ) {}

  withToken(accessToken: string): ApiClient {
    return new ApiClient(this.baseUrl, accessToken);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.accessToken) (init.headers as Record<string, string>).authorization = `Bearer ${this.accessToken}`;
    if (body !== undefined) {
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Signs in a phone number through the SMS flow (the server must run with DEV_SMS_ECHO=1). */
  async signIn(phoneNumber: string): Promise<{ client: ApiClient; deviceId: string; accessToken: string; refreshToken: string }> {
    const challenge = await this.request('POST', '/v1/auth/sms', { phoneNumber });
    if (challenge.status !== 202) throw new Error(`sign-in failed: ${JSON.stringify(challenge.body)}`);
    const verified = await this.request('POST', '/v1/auth/verify', { challengeId: challenge.body.challengeId, code: challenge.body.devCode });
    if (verified.status !== 200) throw new Error(`verify failed: ${JSON.stringify(verified.body)}`);
    const { accessToken, refreshToken, deviceId } = verified.body;
    return { client: this.withToken(accessToken), deviceId, accessToken, refreshToken };
  }

  /**
   * Signs a health official in: SMS code and authenticator code (DEV_SMS_ECHO=1). Enrols the
   * authenticator first when no `totpSecret` is given; returns the secret for later sign-ins.
   */
  async signInOfficial(phoneNumber: string, totpSecret?: string): Promise<{ client: ApiClient; accessToken: string; refreshToken: string; totpSecret: string }> {
    let secret = totpSecret;
    if (secret === undefined) {
      const enrolment = await this.officialChallenge(phoneNumber);
      const enrolled = await this.request('POST', '/v1/auth/official/totp', enrolment);
      if (enrolled.status !== 200) throw new Error(`authenticator enrolment failed: ${JSON.stringify(enrolled.body)}`);
      secret = enrolled.body.secret as string;
    }
    const challenge = await this.officialChallenge(phoneNumber);
    const verified = await this.request('POST', '/v1/auth/official/verify', { ...challenge, totp: generateSync({ secret }) });
    if (verified.status !== 200) throw new Error(`official verify failed: ${JSON.stringify(verified.body)}`);
    const { accessToken, refreshToken } = verified.body;
    return { client: this.withToken(accessToken), accessToken, refreshToken, totpSecret: secret };
  }

  private async officialChallenge(phoneNumber: string): Promise<{ challengeId: string; code: string }> {
    const challenge = await this.request('POST', '/v1/auth/official/sms', { phoneNumber });
    if (challenge.status !== 202 || !challenge.body.devCode) throw new Error(`official sign-in failed: ${JSON.stringify(challenge.body)}`);
    return { challengeId: challenge.body.challengeId, code: challenge.body.devCode };
  }
}
