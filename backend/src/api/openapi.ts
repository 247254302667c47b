import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import * as r from './relay-schemas.js';
import { ROUTE_ACCESS, type RouteAccess, type RouteKey } from './route-access.js';
import * as s from './schemas.js';

type Method = 'get' | 'post' | 'delete';

/** An operation as it is documented; who may call it comes from api/route-access.ts. */
interface DocumentedOperation {
  route: RouteKey;
  summary: string;
  request?: z.ZodType;
  /** Whether the body may be left out ({} is assumed). */
  optionalBody?: boolean;
  status: number;
  response: z.ZodType;
  /** The 4xx this operation itself can answer; COMMON_ERRORS come on top. */
  errors: number[];
  /** Another answer that is not an error and has a body of its own (GET /ready's 503). */
  alternative?: { status: number; description: string; response: z.ZodType };
}

/** Every operation may answer these: a wrong method, a body over the limit, throttling, our own fault. */
export const COMMON_ERRORS = [405, 413, 429, 500];
const BODY_ERRORS = [400, 415];
const DEVICE = [401];
const OFFICIAL = [401, 403];

/** Every operation of API v1; the routes table and this list must agree (a test checks). */
const DOCUMENTED: DocumentedOperation[] = [
  { route: 'POST /v1/auth/sms', summary: 'Start a device sign-in: a code is sent by SMS', request: s.smsRequestSchema, status: 202, response: s.smsResponseSchema, errors: [...BODY_ERRORS, 422] },
  { route: 'POST /v1/auth/verify', summary: 'Answer the SMS challenge; returns a session (access and refresh token)', request: s.verifyRequestSchema, status: 200, response: s.verifyResponseSchema, errors: [...BODY_ERRORS, 401, 404, 410] },
  { route: 'POST /v1/auth/refresh', summary: 'Trade a single-use refresh token for a new access token and the next refresh token', request: s.refreshRequestSchema, status: 200, response: s.sessionResponseSchema, errors: [...BODY_ERRORS, 401] },
  { route: 'POST /v1/auth/official/sms', summary: 'Officials: start a sign-in; a code is sent by SMS to listed officials only', request: s.smsRequestSchema, status: 202, response: s.smsResponseSchema, errors: [...BODY_ERRORS, 422] },
  { route: 'POST /v1/auth/official/totp', summary: 'Officials: answer the SMS challenge to enrol an authenticator (TOTP); returns its secret once', request: s.verifyRequestSchema, status: 200, response: s.officialEnrolResponseSchema, errors: [...BODY_ERRORS, 401, 404, 409, 410] },
  { route: 'POST /v1/auth/official/verify', summary: 'Officials: answer the SMS challenge and the authenticator code; returns a session', request: s.officialVerifyRequestSchema, status: 200, response: s.sessionResponseSchema, errors: [...BODY_ERRORS, 401, 404, 409, 410] },
  { route: 'POST /v1/tokens', summary: 'Issue contact tokens for the current and following windows', request: s.tokensRequestSchema, optionalBody: true, status: 201, response: s.tokensResponseSchema, errors: [...BODY_ERRORS, ...DEVICE] },
  { route: 'POST /v1/contacts', summary: 'Upload a batch of up to 50 observations (idempotent by batchId)', request: s.contactsRequestSchema, status: 202, response: s.contactsResponseSchema, errors: [...BODY_ERRORS, ...DEVICE, 409] },
  { route: 'POST /v1/admin/verification-codes', summary: 'Officials: create a one-time code for a positive test (quota per official, audited)', request: s.verificationCodeRequestSchema, optionalBody: true, status: 201, response: s.verificationCodeResponseSchema, errors: [...BODY_ERRORS, ...OFFICIAL] },
  { route: 'POST /v1/infections', summary: 'Report a verified infection; contacts are warned asynchronously by the tracer', request: s.infectionRequestSchema, status: 202, response: s.infectionResponseSchema, errors: [...BODY_ERRORS, ...DEVICE, 409, 410, 422] },
  { route: 'GET /v1/notifications', summary: "The caller's exposure notifications", status: 200, response: s.notificationsResponseSchema, errors: DEVICE },
  { route: 'POST /v1/notifications/acknowledge', summary: "Say the user saw one of the caller's notifications (for the officials' analytics); idempotent", request: s.acknowledgeRequestSchema, status: 200, response: s.acknowledgeResponseSchema, errors: [...BODY_ERRORS, ...DEVICE, 404] },
  { route: 'DELETE /v1/me', summary: "Erase everything about the caller's device", status: 200, response: s.eraseResponseSchema, errors: DEVICE },
  { route: 'GET /v1/admin/token-flags', summary: 'Officials: token windows judged relayed or replayed (kept for review, warning nobody)', status: 200, response: s.tokenFlagsResponseSchema, errors: OFFICIAL },
  { route: 'POST /v1/dedicated-devices/owner-verification', summary: "Send an SMS code to a dedicated device's owner", request: r.ownerVerificationRequestSchema, status: 202, response: r.ownerVerificationResponseSchema, errors: [...BODY_ERRORS, ...DEVICE, 422] },
  { route: 'POST /v1/dedicated-devices', summary: 'Register a dedicated (BLE-only) device for its verified owner; returns its token bundle', request: r.registerDedicatedDeviceRequestSchema, status: 201, response: r.provisionedResponseSchema, errors: [...BODY_ERRORS, ...DEVICE, 404, 410, 422] },
  { route: 'POST /v1/dedicated-devices/bundle', summary: "A dedicated device's next token bundle, signed for by the device", request: r.renewBundleRequestSchema, status: 201, response: r.provisionedResponseSchema, errors: [...BODY_ERRORS, ...DEVICE, 422] },
  { route: 'POST /v1/dedicated-devices/erasure', summary: "Erase everything about a dedicated device, signed for by the device's key (its owner's provisioning credential)", request: r.eraseDedicatedDeviceRequestSchema, status: 200, response: r.eraseDedicatedDeviceResponseSchema, errors: [...BODY_ERRORS, ...DEVICE, 422] },
  { route: 'POST /v1/relay/batches', summary: "Relay dedicated devices' sealed batches; one result and acknowledgement per batch", request: r.relayBatchesRequestSchema, status: 200, response: r.relayBatchesResponseSchema, errors: [...BODY_ERRORS, ...DEVICE, 409, 422] },
  { route: 'GET /v1/admin/relay-operations', summary: 'Officials: deliveries per relay and per dedicated device, pseudonymous', status: 200, response: r.relayOperationsResponseSchema, errors: OFFICIAL },
  { route: 'GET /v1/admin/stats', summary: 'Officials: queue depth and stored totals', status: 200, response: s.statsResponseSchema, errors: OFFICIAL },
  { route: 'GET /health', summary: 'Liveness', status: 200, response: s.healthResponseSchema, errors: [] },
  {
    route: 'GET /ready',
    summary: 'Readiness: 200 when every dependency answers, else 503 with the same body',
    status: 200,
    response: s.readinessResponseSchema,
    errors: [],
    alternative: { status: 503, description: 'A dependency did not answer in time: the checks say which', response: s.readinessResponseSchema },
  },
  { route: 'GET /openapi.json', summary: 'This document', status: 200, response: z.object({ openapi: z.string() }).catchall(z.unknown()), errors: [] },
  { route: 'GET /.well-known/jwks.json', summary: "The local identity provider's public keys (404 where Cognito publishes them)", status: 200, response: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), errors: [404] },
];

export interface Operation extends DocumentedOperation {
  method: Method;
  path: string;
  auth: RouteAccess;
}

/** Every operation of API v1, with its method, path and who may call it; the routes table must agree (a test checks). */
export const OPERATIONS: Operation[] = DOCUMENTED.map((op) => {
  const [verb, path] = op.route.split(' ') as [string, string];
  return { ...op, method: verb.toLowerCase() as Method, path, auth: ROUTE_ACCESS[op.route] };
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON or a body that does not match the schema',
  401: 'Missing, invalid or expired access token, a wrong code, or an invalid or reused refresh token',
  403: 'The caller lacks the officials role, or signed in without the second factor',
  404: 'Unknown sign-in challenge or notification (or no such resource)',
  405: 'This method is not allowed on this path; the Allow header lists those that are',
  409: 'Conflict: a used verification code, a batchId reused with other content, an authenticator (not) yet enrolled, or a relayed batch replayed, reordered or off its chain',
  410: 'Expired code or challenge',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Unknown verification code, SMS not sent to this country, or a relayed batch that does not open or whose signature fails',
  429: 'Too many requests: the Retry-After header says how many seconds to wait',
  500: 'Our fault; the request can be retried',
};

const retryAfter = { schema: { type: 'integer' as const, minimum: 1 }, description: 'Seconds to wait before trying again' };
const allow = { schema: { type: 'string' as const }, description: 'The methods this path allows, e.g. POST' };

/** The operations on each path: what a 405 names in its Allow header. */
export function allowedMethods(path: string): string[] {
  return OPERATIONS.filter((op) => op.path === path).map((op) => op.method.toUpperCase());
}

/** Every status `op` is documented to answer. */
export function documentedStatuses(op: Operation): number[] {
  return [op.status, ...(op.alternative ? [op.alternative.status] : []), ...op.errors, ...COMMON_ERRORS].sort((a, b) => a - b);
}

/** The API v1 as OpenAPI 3.1, generated from the same zod schemas the handlers validate with. */
export function buildOpenApiDocument(): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const op of OPERATIONS) {
    const { method, path } = op;
    const responses: Record<string, object> = {
      [op.status]: { description: 'Success', content: { 'application/json': { schema: op.response } } },
    };
    if (op.alternative) {
      responses[op.alternative.status] = { description: op.alternative.description, content: { 'application/json': { schema: op.alternative.response } } };
    }
    for (const code of [...op.errors, ...COMMON_ERRORS]) {
      responses[code] = {
        description: ERROR_DESCRIPTIONS[code] ?? 'Client error',
        content: { 'application/json': { schema: s.errorBodySchema } },
        ...(code === 429 ? { headers: { 'Retry-After': retryAfter } } : code === 405 ? { headers: { Allow: allow } } : {}),
      };
    }
    registry.registerPath({
      method,
      path,
      summary: op.summary,
      ...(op.auth === 'none' ? {} : { security: [{ [bearer.name]: [] }] }),
      ...(op.request ? { request: { body: { required: !op.optionalBody, content: { 'application/json': { schema: op.request } } } } } : {}),
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Proxitrace API',
      version: '1.0.0',
      description:
        'API v1: device and official sign-in, sessions, contact tokens, contact uploads, infection reports, notifications and erasure. Errors are { "error": { "code", "message", "details" } }; 429 carries Retry-After, 405 carries Allow.',
    },
  });
}
