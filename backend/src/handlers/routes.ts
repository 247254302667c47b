import type { BackendServices } from '../composition/backend-services.js';
import {
  makeEnrolOfficialTotp,
  makeRefreshSession,
  makeRequestOfficialSmsCode,
  makeRequestSmsCode,
  makeVerifyOfficial,
  makeVerifySmsCode,
} from './auth-handlers.js';
import { makeAcknowledgeNotification, makeEraseMe, makeGetNotifications } from './device-handlers.js';
import type { HttpLambda } from './http/http-handler.js';
import { makeIssueVerificationCode, makeReportInfection } from './infection-handlers.js';
import { makeGetStats, makeGetTokenFlags, makeHealth, makeJwks, makeOpenApiDocument } from './operations-handlers.js';
import { makeFallback } from './fallback-handler.js';
import { makeRegisterTokens } from './register-tokens.js';
import { makeGetRelayOperations, makeRegisterDedicatedDevice, makeRelayBatches, makeRenewBundle, makeStartOwnerVerification } from './relay-handlers.js';
import { makeSubmitContacts } from './submit-contacts.js';

/**
 * API Gateway route keys and the handler each one invokes; infra and the local server both read
 * this. Every key but `$default` is an operation of the OpenAPI document (a test checks).
 */
export const ROUTES = {
  'POST /v1/auth/sms': makeRequestSmsCode,
  'POST /v1/auth/verify': makeVerifySmsCode,
  'POST /v1/auth/refresh': makeRefreshSession,
  'POST /v1/auth/official/sms': makeRequestOfficialSmsCode,
  'POST /v1/auth/official/totp': makeEnrolOfficialTotp,
  'POST /v1/auth/official/verify': makeVerifyOfficial,
  'POST /v1/tokens': makeRegisterTokens,
  'POST /v1/contacts': makeSubmitContacts,
  'POST /v1/admin/verification-codes': makeIssueVerificationCode,
  'POST /v1/infections': makeReportInfection,
  'GET /v1/notifications': makeGetNotifications,
  'POST /v1/notifications/acknowledge': makeAcknowledgeNotification,
  'DELETE /v1/me': makeEraseMe,
  'GET /v1/admin/token-flags': makeGetTokenFlags,
  'GET /v1/admin/stats': makeGetStats,
  'POST /v1/dedicated-devices/owner-verification': makeStartOwnerVerification,
  'POST /v1/dedicated-devices': makeRegisterDedicatedDevice,
  'POST /v1/dedicated-devices/bundle': makeRenewBundle,
  'POST /v1/relay/batches': makeRelayBatches,
  'GET /v1/admin/relay-operations': makeGetRelayOperations,
  'GET /health': makeHealth,
  'GET /openapi.json': makeOpenApiDocument,
  'GET /.well-known/jwks.json': makeJwks,
  /** Whatever matched no route: 404, or 405 with Allow. */
  $default: makeFallback,
} satisfies Record<string, (s: BackendServices) => HttpLambda>;

export type RouteKey = keyof typeof ROUTES;

export function buildRouteTable(services: BackendServices): Map<string, HttpLambda> {
  return new Map(Object.entries(ROUTES).map(([key, make]) => [key, make(services)]));
}
