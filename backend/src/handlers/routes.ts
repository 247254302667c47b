import type { RouteKey } from '../api/route-access.js';
import type { BackendServices } from '../composition/backend-services.js';
import {
  makeEnrolOfficialTotp,
  makeRefreshSession,
  makeRequestOfficialSmsCode,
  makeRequestSmsCode,
  makeVerifyOfficial,
  makeVerifySmsCode,
} from './auth-handlers.js';
import { makeEraseDedicatedDevice } from './dedicated-erasure-handler.js';
import { makeAcknowledgeNotification, makeEraseMe, makeGetNotifications } from './device-handlers.js';
import { behindEdge } from './http/edge-origin.js';
import type { HttpLambda } from './http/http-handler.js';
import { instrumentedRoute } from './http/instrumented-route.js';
import { makeIssueVerificationCode, makeReportInfection } from './infection-handlers.js';
import { makeFallback } from './fallback-handler.js';
import { makeGetStats, makeGetTokenFlags, makeHealth, makeJwks, makeOpenApiDocument, makeReadiness } from './operations-handlers.js';
import { makeRegisterTokens } from './register-tokens.js';
import { makeGetRelayOperations, makeRegisterDedicatedDevice, makeRelayBatches, makeRenewBundle, makeStartOwnerVerification } from './relay-handlers.js';
import { makeSubmitContacts } from './submit-contacts.js';

/** The handler of every API route (api/route-access.ts lists the routes and who may call them). */
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
  'POST /v1/dedicated-devices/erasure': makeEraseDedicatedDevice,
  'POST /v1/relay/batches': makeRelayBatches,
  'GET /v1/admin/relay-operations': makeGetRelayOperations,
  'GET /health': makeHealth,
  'GET /ready': makeReadiness,
  'GET /openapi.json': makeOpenApiDocument,
  'GET /.well-known/jwks.json': makeJwks,
} satisfies Record<RouteKey, (s: BackendServices) => HttpLambda>;

/** API Gateway's `$default` route and the local server's: whatever matched no route (404, or 405 with Allow). */
export const FALLBACK_ROUTE = '$default';

export type { RouteKey };

/** Every route's handler as served (measured), and the fallback under `$default`. */
export function buildRouteTable(services: BackendServices): Map<string, HttpLambda> {
  const table = new Map<string, HttpLambda>((Object.entries(ROUTES) as [RouteKey, (s: BackendServices) => HttpLambda][]).map(([key, make]) => [key, instrumentedRoute(key, make, services)]));
  table.set(FALLBACK_ROUTE, behindEdge(makeFallback(services), services.config.edgeOriginSecret, services.logger));
  return table;
}
