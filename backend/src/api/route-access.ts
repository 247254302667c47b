/**
 * Who may call each API route: the one place the OpenAPI document (security requirements), the
 * handler table (every route has a handler) and infra (which routes sit behind the JWT
 * authorizer) read. `none` routes are public: sign-in, probes and published documents.
 */
export type RouteAccess = 'none' | 'device' | 'official';

export const ROUTE_ACCESS = {
  'POST /v1/auth/sms': 'none',
  'POST /v1/auth/verify': 'none',
  'POST /v1/auth/refresh': 'none',
  'POST /v1/auth/official/sms': 'none',
  'POST /v1/auth/official/totp': 'none',
  'POST /v1/auth/official/verify': 'none',
  'POST /v1/tokens': 'device',
  'POST /v1/contacts': 'device',
  'POST /v1/admin/verification-codes': 'official',
  'POST /v1/infections': 'device',
  'GET /v1/notifications': 'device',
  'POST /v1/notifications/acknowledge': 'device',
  'DELETE /v1/me': 'device',
  'GET /v1/admin/token-flags': 'official',
  'GET /v1/admin/stats': 'official',
  'POST /v1/dedicated-devices/owner-verification': 'device',
  'POST /v1/dedicated-devices': 'device',
  'POST /v1/dedicated-devices/bundle': 'device',
  'POST /v1/dedicated-devices/erasure': 'device',
  'POST /v1/relay/batches': 'device',
  'GET /v1/admin/relay-operations': 'official',
  'GET /health': 'none',
  'GET /ready': 'none',
  'GET /openapi.json': 'none',
  'GET /.well-known/jwks.json': 'none',
} as const satisfies Record<string, RouteAccess>;

/** An API Gateway route key, `METHOD /path`. */
export type RouteKey = keyof typeof ROUTE_ACCESS;

export const ROUTE_KEYS = Object.keys(ROUTE_ACCESS) as RouteKey[];

export function routeAccess(key: RouteKey): RouteAccess {
  return ROUTE_ACCESS[key];
}
