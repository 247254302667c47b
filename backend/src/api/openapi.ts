import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { ROUTE_ACCESS, type RouteAccess, type RouteKey } from './route-access.js';
import * as s from './schemas.js';

type Method = 'get' | 'post' | 'delete';

interface Operation {
  route: RouteKey;
  summary: string;
  request?: z.ZodType;
  status: number;
  response: z.ZodType;
  errors: number[];
}

const OPERATIONS: Operation[] = [
  { route: 'POST /v1/auth/sms', summary: 'Start a phone sign-in: a code is sent by SMS', request: s.smsRequestSchema, status: 202, response: s.smsResponseSchema, errors: [400, 413, 415] },
  { route: 'POST /v1/auth/verify', summary: 'Answer the SMS challenge; returns an access token', request: s.verifyRequestSchema, status: 200, response: s.verifyResponseSchema, errors: [400, 401, 404, 410, 429] },
  { route: 'POST /v1/tokens', summary: 'Issue contact tokens for the current and following windows', request: s.tokensRequestSchema, status: 201, response: s.tokensResponseSchema, errors: [400, 401] },
  { route: 'POST /v1/contacts', summary: 'Upload a batch of up to 50 observations (idempotent by batchId)', request: s.contactsRequestSchema, status: 202, response: s.contactsResponseSchema, errors: [400, 401, 409, 413, 415] },
  { route: 'POST /v1/admin/verification-codes', summary: 'Officials: create a one-time code for a positive test', request: s.verificationCodeRequestSchema, status: 201, response: s.verificationCodeResponseSchema, errors: [401, 403] },
  { route: 'POST /v1/infections', summary: 'Report a verified infection; contacts are notified', request: s.infectionRequestSchema, status: 202, response: s.infectionResponseSchema, errors: [400, 401, 409, 410, 422] },
  { route: 'GET /v1/notifications', summary: "The caller's exposure notifications", status: 200, response: s.notificationsResponseSchema, errors: [401] },
  { route: 'DELETE /v1/me', summary: "Erase everything about the caller's device", status: 200, response: s.eraseResponseSchema, errors: [401] },
  { route: 'GET /v1/admin/stats', summary: 'Officials: queue depth and stored totals', status: 200, response: s.statsResponseSchema, errors: [401, 403] },
  { route: 'GET /health', summary: 'Liveness', status: 200, response: s.healthResponseSchema, errors: [] },
  { route: 'GET /ready', summary: 'Readiness: 200 when every dependency answers, else 503 with the same body', status: 200, response: s.readinessResponseSchema, errors: [] },
];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON or a body that does not match the schema',
  401: 'Missing, invalid or expired access token, or a wrong code',
  403: 'The caller lacks the officials role',
  404: 'Unknown sign-in challenge',
  409: 'Conflict: a used verification code, or a batchId reused with other content',
  410: 'Expired code or challenge',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Unknown verification code',
  429: 'Too many wrong codes for this challenge',
};

/** The device-facing API v1 as OpenAPI 3.1, generated from the same zod schemas the handlers validate with. */
export function buildOpenApiDocument(): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const op of OPERATIONS) {
    const [verb, path] = op.route.split(' ') as [string, string];
    const method = verb.toLowerCase() as Method;
    const auth: RouteAccess = ROUTE_ACCESS[op.route];
    const responses: Record<string, object> = {
      [op.status]: { description: 'Success', content: { 'application/json': { schema: op.response } } },
    };
    for (const code of op.errors) {
      responses[code] = { description: ERROR_DESCRIPTIONS[code] ?? 'Client error', content: { 'application/json': { schema: s.errorBodySchema } } };
    }
    registry.registerPath({
      method,
      path,
      summary: op.summary,
      ...(auth === 'none' ? {} : { security: [{ [bearer.name]: [] }] }),
      ...(op.request ? { request: { body: { required: method !== 'post' || !path.endsWith('/tokens'), content: { 'application/json': { schema: op.request } } } } } : {}),
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Proxitrace device API',
      version: '1.0.0',
      description: 'Device-facing API v1: sign-in, contact tokens, contact uploads, infection reports, notifications and erasure. Errors are { "error": { "code", "message", "details" } }.',
    },
  });
}
