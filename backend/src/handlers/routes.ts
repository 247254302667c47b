import type { RouteKey } from '../api/route-access.js';
import type { BackendServices } from '../composition/backend-services.js';
import { makeRequestSmsCode, makeVerifySmsCode } from './auth-handlers.js';
import { makeEraseMe, makeGetNotifications } from './device-handlers.js';
import type { HttpLambda } from './http/http-handler.js';
import { instrumentedRoute } from './http/instrumented-route.js';
import { makeIssueVerificationCode, makeReportInfection } from './infection-handlers.js';
import { makeGetStats, makeHealth, makeJwks, makeOpenApiDocument, makeReadiness } from './operations-handlers.js';
import { makeRegisterTokens } from './register-tokens.js';
import { makeSubmitContacts } from './submit-contacts.js';

/** The handler of every API route (api/route-access.ts lists the routes and who may call them). */
export const ROUTES = {
  'POST /v1/auth/sms': makeRequestSmsCode,
  'POST /v1/auth/verify': makeVerifySmsCode,
  'POST /v1/tokens': makeRegisterTokens,
  'POST /v1/contacts': makeSubmitContacts,
  'POST /v1/admin/verification-codes': makeIssueVerificationCode,
  'POST /v1/infections': makeReportInfection,
  'GET /v1/notifications': makeGetNotifications,
  'DELETE /v1/me': makeEraseMe,
  'GET /v1/admin/stats': makeGetStats,
  'GET /health': makeHealth,
  'GET /ready': makeReadiness,
  'GET /openapi.json': makeOpenApiDocument,
  'GET /.well-known/jwks.json': makeJwks,
} satisfies Record<RouteKey, (s: BackendServices) => HttpLambda>;

export type { RouteKey };

export function buildRouteTable(services: BackendServices): Map<string, HttpLambda> {
  return new Map((Object.entries(ROUTES) as [RouteKey, (s: BackendServices) => HttpLambda][]).map(([key, make]) => [key, instrumentedRoute(key, make, services)]));
}
