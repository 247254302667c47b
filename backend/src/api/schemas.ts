import * as z from 'zod';
import { E164 } from '../config/env-schema.js';
import { TOKEN_STRING_PATTERN } from '../domain/tokens/token-encoding.js';

/** Device-facing API v1: every request and response body. Pinned: clients rely on these shapes. */

export const MAX_OBSERVATIONS_PER_BATCH = 50;
export const MAX_TOKENS_PER_REQUEST = 8;

const isoTime = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 time, e.g. 2026-11-23T08:15:00Z', example: '2026-11-23T08:15:00Z' });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable snake_case code', example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown(),
    }),
  })
  .meta({ id: 'Error' });

export const smsRequestSchema = z
  .object({ phoneNumber: z.string().regex(E164, 'must be an E.164 phone number such as +447700900123') })
  .strict()
  .meta({ id: 'SmsChallengeRequest' });

export const smsResponseSchema = z
  .object({
    challengeId: z.uuid(),
    devCode: z.string().optional().meta({ description: 'Only when the server runs with DEV_SMS_ECHO=1; never in production' }),
  })
  .meta({ id: 'SmsChallengeResponse' });

export const verifyRequestSchema = z
  .object({ challengeId: z.uuid(), code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') })
  .strict()
  .meta({ id: 'VerifyRequest' });

export const verifyResponseSchema = z
  .object({
    accessToken: z.string().meta({ description: 'JWT to send as Authorization: Bearer' }),
    deviceId: z.string(),
  })
  .meta({ id: 'VerifyResponse' });

export const tokensRequestSchema = z
  .object({ count: z.number().int().min(1).max(MAX_TOKENS_PER_REQUEST).optional().default(1) })
  .strict()
  .meta({ id: 'TokensRequest' });

export const tokensResponseSchema = z
  .object({
    tokens: z.array(
      z.object({
        token: z.string().meta({ description: '16 bytes, unpadded base64url (22 characters)', example: 'q83vEjRWeJq83vEjRWeJqw' }),
        validFrom: isoTime,
        validUntil: isoTime,
      }),
    ),
  })
  .meta({ id: 'TokensResponse' });

export const observationSchema = z
  .object({
    token: z.string().regex(TOKEN_STRING_PATTERN, 'must be a 22-character base64url token'),
    firstSeen: isoTime,
    lastSeen: isoTime,
    rssi: z.number().int().min(-127).max(20).optional().meta({ description: 'Strongest RSSI seen, dBm' }),
    location: z
      .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
      .strict()
      .optional()
      .meta({ description: 'Where the reporter was; stored rounded to about 110 m' }),
  })
  .strict()
  .refine((o) => Date.parse(o.lastSeen) >= Date.parse(o.firstSeen), { message: 'lastSeen must not be before firstSeen', path: ['lastSeen'] })
  .meta({ id: 'Observation' });

export const contactsRequestSchema = z
  .object({
    batchId: z.uuid().meta({ description: 'Chosen by the device; reuse it when retrying the same batch' }),
    observations: z.array(observationSchema).min(1).max(MAX_OBSERVATIONS_PER_BATCH),
  })
  .strict()
  .meta({ id: 'ContactsRequest' });

export const contactsResponseSchema = z
  .object({ batchId: z.uuid(), accepted: z.number().int() })
  .meta({ id: 'ContactsResponse' });

export const verificationCodeRequestSchema = z.object({}).strict().meta({ id: 'VerificationCodeRequest' });

export const verificationCodeResponseSchema = z
  .object({ code: z.string().meta({ example: '7KX2M9PQ4R' }), expiresAt: isoTime })
  .meta({ id: 'VerificationCodeResponse' });

export const infectionRequestSchema = z
  .object({
    verificationCode: z.string().min(8).max(32),
    symptomOnset: z.union([isoTime, z.iso.date()]).optional().meta({ description: 'Date or time symptoms began' }),
  })
  .strict()
  .meta({ id: 'InfectionRequest' });

export const infectionResponseSchema = z.object({ caseId: z.uuid(), notified: z.number().int() }).meta({ id: 'InfectionResponse' });

export const notificationsResponseSchema = z
  .object({
    notifications: z.array(
      z.object({
        id: z.string(),
        kind: z.literal('exposure'),
        degree: z.number().int().min(1),
        probability: z.number(),
        exposedAt: isoTime,
        issuedAt: isoTime,
      }),
    ),
  })
  .meta({ id: 'NotificationsResponse' });

export const eraseResponseSchema = z
  .object({ erased: z.object({ tokens: z.number().int(), contacts: z.number().int(), notifications: z.number().int() }) })
  .meta({ id: 'EraseResponse' });

export const statsResponseSchema = z
  .object({
    queue: z.object({ backlog: z.number(), inFlight: z.number(), deadLettered: z.number(), oldestAgeSeconds: z.number() }),
    batchesProcessed: z.number().int(),
    observationsProcessed: z.number().int(),
    contactsStored: z.number().int(),
  })
  .meta({ id: 'StatsResponse' });

export const healthResponseSchema = z.object({ status: z.literal('ok') }).meta({ id: 'HealthResponse' });

export const readinessResponseSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() })),
  })
  .meta({ id: 'ReadinessResponse' });
