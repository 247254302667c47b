import { generateSync } from 'otplib';
import type { BackendServices } from '../../backend/src/composition/backend-services.js';
import { buildRouteTable } from '../../backend/src/handlers/routes.js';
import { httpEvent, lambdaContext } from './embedded-services.js';

export interface HandlerResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/**
 * Calls the route handlers in-process, as API Gateway would, with `DEV_SMS_ECHO` codes and an
 * authenticator whose codes are made at `totpNow()` (the clock the identity provider checks).
 */
export function handlerClient(s: BackendServices, options: { sourceIp?: string; totpNow?: () => Date } = {}) {
  const routes = buildRouteTable(s);
  const call = async (routeKey: string, body?: unknown, headers: Record<string, string> = {}): Promise<HandlerResponse> => {
    const handler = routes.get(routeKey) ?? routes.get('$default')!;
    const event = httpEvent(routeKey, body, headers);
    if (options.sourceIp) event.requestContext.http.sourceIp = options.sourceIp;
    const response = await handler(event, lambdaContext());
    return { status: response.statusCode ?? 200, headers: (response.headers ?? {}) as Record<string, string>, body: response.body ? JSON.parse(response.body) : undefined };
  };
  const totp = (secret: string) => generateSync({ secret, epoch: Math.floor((options.totpNow?.() ?? new Date()).getTime() / 1000) });
  const expectStatus = (response: HandlerResponse, status: number, what: string) => {
    if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  return {
    call,
    async signIn(phoneNumber: string) {
      const challenge = expectStatus(await call('POST /v1/auth/sms', { phoneNumber }), 202, 'sms');
      const session = expectStatus(await call('POST /v1/auth/verify', { challengeId: challenge.challengeId, code: challenge.devCode }), 200, 'verify');
      return { ...session, authorization: `Bearer ${session.accessToken}` } as { accessToken: string; refreshToken: string; expiresIn: number; refreshExpiresAt: string; deviceId: string; authorization: string };
    },
    /** Enrols the authenticator (unless a secret is given) and signs the official in. */
    async signInOfficial(phoneNumber: string, totpSecret?: string) {
      let secret = totpSecret;
      if (secret === undefined) {
        const enrolment = expectStatus(await call('POST /v1/auth/official/sms', { phoneNumber }), 202, 'official sms');
        secret = expectStatus(await call('POST /v1/auth/official/totp', { challengeId: enrolment.challengeId, code: enrolment.devCode }), 200, 'enrol').secret as string;
      }
      const challenge = expectStatus(await call('POST /v1/auth/official/sms', { phoneNumber }), 202, 'official sms');
      const session = expectStatus(await call('POST /v1/auth/official/verify', { challengeId: challenge.challengeId, code: challenge.devCode, totp: totp(secret) }), 200, 'official verify');
      return { ...session, authorization: `Bearer ${session.accessToken}`, totpSecret: secret } as { accessToken: string; refreshToken: string; authorization: string; totpSecret: string };
    },
  };
}
