import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import * as r from './relay-schemas.js';
import * as s from './schemas.js';

type Method = 'get' | 'post' | 'delete';

interface Operation {
  method: Method;
  path: string;
  summary: string;
  auth: 'none' | 'device' | 'official';
  request?: z.ZodType;
  status: number;
  response: z.ZodType;
  errors: number[];
}

const OPERATIONS: Operation[] = [
  { method: 'post', path: '/v1/auth/sms', summary: 'Start a phone sign-in: a code is sent by SMS', auth: 'none', request: s.smsRequestSchema, status: 202, response: s.smsResponseSchema, errors: [400, 413, 415] },
  { method: 'post', path: '/v1/auth/verify', summary: 'Answer the SMS challenge; returns an access token', auth: 'none', request: s.verifyRequestSchema, status: 200, response: s.verifyResponseSchema, errors: [400, 401, 404, 410, 429] },
  { method: 'post', path: '/v1/tokens', summary: 'Issue contact tokens for the current and following windows', auth: 'device', request: s.tokensRequestSchema, status: 201, response: s.tokensResponseSchema, errors: [400, 401] },
  { method: 'post', path: '/v1/contacts', summary: 'Upload a batch of up to 50 observations (idempotent by batchId)', auth: 'device', request: s.contactsRequestSchema, status: 202, response: s.contactsResponseSchema, errors: [400, 401, 409, 413, 415] },
  { method: 'post', path: '/v1/admin/verification-codes', summary: 'Officials: create a one-time code for a positive test', auth: 'official', request: s.verificationCodeRequestSchema, status: 201, response: s.verificationCodeResponseSchema, errors: [401, 403] },
  { method: 'post', path: '/v1/infections', summary: 'Report a verified infection; contacts are notified', auth: 'device', request: s.infectionRequestSchema, status: 202, response: s.infectionResponseSchema, errors: [400, 401, 409, 410, 422] },
  { method: 'get', path: '/v1/notifications', summary: "The caller's exposure notifications", auth: 'device', status: 200, response: s.notificationsResponseSchema, errors: [401] },
  { method: 'delete', path: '/v1/me', summary: "Erase everything about the caller's device", auth: 'device', status: 200, response: s.eraseResponseSchema, errors: [401] },
  { method: 'get', path: '/v1/admin/stats', summary: 'Officials: queue depth and stored totals', auth: 'official', status: 200, response: s.statsResponseSchema, errors: [401, 403] },
  { method: 'post', path: '/v1/dedicated-devices/owner-verification', summary: "Send an SMS code to a dedicated device's owner", auth: 'device', request: r.ownerVerificationRequestSchema, status: 202, response: r.ownerVerificationResponseSchema, errors: [400, 401] },
  { method: 'post', path: '/v1/dedicated-devices', summary: 'Register a dedicated (BLE-only) device for its verified owner; returns its token bundle', auth: 'device', request: r.registerDedicatedDeviceRequestSchema, status: 201, response: r.provisionedResponseSchema, errors: [400, 401, 404, 410, 422, 429] },
  { method: 'post', path: '/v1/dedicated-devices/bundle', summary: "A dedicated device's next token bundle, signed for by the device", auth: 'device', request: r.renewBundleRequestSchema, status: 201, response: r.provisionedResponseSchema, errors: [400, 401, 422] },
  { method: 'post', path: '/v1/relay/batches', summary: "Relay dedicated devices' sealed batches; one result and acknowledgement per batch", auth: 'device', request: r.relayBatchesRequestSchema, status: 200, response: r.relayBatchesResponseSchema, errors: [400, 401, 409, 413, 415, 422] },
  { method: 'get', path: '/v1/admin/relay-operations', summary: 'Officials: deliveries per relay and per dedicated device, pseudonymous', auth: 'official', status: 200, response: r.relayOperationsResponseSchema, errors: [401, 403] },
  { method: 'get', path: '/health', summary: 'Liveness', auth: 'none', status: 200, response: s.healthResponseSchema, errors: [] },
];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON or a body that does not match the schema',
  401: 'Missing, invalid or expired access token, or a wrong code',
  403: 'The caller lacks the officials role',
  404: 'Unknown sign-in challenge',
  409: 'Conflict: a used verification code, a batchId reused with other content, or a relayed batch replayed, reordered or off its chain',
  410: 'Expired code or challenge',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Unknown verification code; a relayed batch that does not open or whose signature fails',
  429: 'Too many wrong codes for this challenge',
};

/** The device-facing API v1 as OpenAPI 3.1, generated from the same zod schemas the handlers validate with. */
export function buildOpenApiDocument(): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const op of OPERATIONS) {
    const responses: Record<string, object> = {
      [op.status]: { description: 'Success', content: { 'application/json': { schema: op.response } } },
    };
    for (const code of op.errors) {
      responses[code] = { description: ERROR_DESCRIPTIONS[code] ?? 'Client error', content: { 'application/json': { schema: s.errorBodySchema } } };
    }
    registry.registerPath({
      method: op.method,
      path: op.path,
      summary: op.summary,
      ...(op.auth === 'none' ? {} : { security: [{ [bearer.name]: [] }] }),
      ...(op.request ? { request: { body: { required: op.method !== 'post' || !op.path.endsWith('/tokens'), content: { 'application/json': { schema: op.request } } } } } : {}),
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
