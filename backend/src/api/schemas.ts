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

const sessionFields = {
  accessToken: z.string().meta({ description: 'JWT to send as Authorization: Bearer' }),
  expiresIn: z.number().int().meta({ description: 'Seconds until the access token expires' }),
  refreshToken: z.string().meta({ description: 'Single use: POST it to /v1/auth/refresh for a new access token and the next refresh token' }),
  refreshExpiresAt: isoTime.meta({ description: 'When the session ends; refreshing does not extend it' }),
};

export const verifyResponseSchema = z.object({ ...sessionFields, deviceId: z.string() }).meta({ id: 'VerifyResponse' });

export const sessionResponseSchema = z.object(sessionFields).meta({ id: 'SessionResponse' });

export const refreshRequestSchema = z
  .object({ refreshToken: z.string().min(1).max(512) })
  .strict()
  .meta({ id: 'RefreshRequest' });

const totpCode = z.string().regex(/^\d{6}$/, 'must be the 6-digit authenticator code');

export const officialVerifyRequestSchema = z
  .object({ challengeId: z.uuid(), code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code'), totp: totpCode })
  .strict()
  .meta({ id: 'OfficialVerifyRequest' });

export const officialEnrolResponseSchema = z
  .object({
    secret: z.string().meta({ description: 'Base32 TOTP secret for the authenticator app; shown once' }),
    otpauthUri: z.string().meta({ description: 'otpauth:// URI of the same secret, for a QR code' }),
  })
  .meta({ id: 'OfficialEnrolResponse' });

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
    rssiMean: z.number().min(-127).max(20).optional().meta({ description: 'Mean RSSI of the sightings, dBm (scores proximity; without it the strongest RSSI is used)' }),
    sightings: z.number().int().min(1).max(1_000_000).optional().meta({ description: 'Advertisement reports received between firstSeen and lastSeen' }),
    txPower: z.number().int().min(-127).max(20).optional().meta({ description: "TX power the advertiser announced, dBm (for the path loss)" }),
    location: z
      .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
      .strict()
      .optional()
      .meta({ description: 'Where the reporter was; stored rounded to about 110 m' }),
  })
  .strict()
  .refine((o) => Date.parse(o.lastSeen) >= Date.parse(o.firstSeen), { message: 'lastSeen must not be before firstSeen', path: ['lastSeen'] })
  .refine((o) => o.rssi === undefined || o.rssiMean === undefined || o.rssiMean <= o.rssi, { message: 'rssiMean cannot exceed the strongest rssi', path: ['rssiMean'] })
  .meta({ id: 'Observation' });

export const contactsRequestSchema = z
  .object({
    batchId: z.uuid().meta({ description: 'Chosen by the device; reuse it when retrying the same batch' }),
    observations: z.array(observationSchema).min(1).max(MAX_OBSERVATIONS_PER_BATCH),
  })
  .strict()
  .meta({ id: 'ContactsRequest' });

export const DROP_REASON_DESCRIPTION =
  'unknown_token: no active key verifies the token; outside_window: the sighting lies wholly outside the token\'s validity window plus grace; too_old: it ended before the lookback; self_contact: the reporter\'s own token';

export const contactsResponseSchema = z
  .object({
    batchId: z.uuid(),
    accepted: z.number().int().meta({ description: 'Observations queued for storage' }),
    dropped: z
      .array(z.object({ index: z.number().int(), reason: z.enum(['unknown_token', 'outside_window', 'too_old', 'self_contact']).meta({ description: DROP_REASON_DESCRIPTION }) }))
      .optional()
      .meta({ description: 'Observations refused, by index; absent when none was' }),
    clipped: z
      .array(z.object({ index: z.number().int(), firstSeen: isoTime, lastSeen: isoTime }))
      .optional()
      .meta({ description: "Observations cut to their token's validity window plus grace, with the times kept; absent when none was" }),
  })
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

export const infectionResponseSchema = z
  .object({
    caseId: z.uuid().meta({ description: 'The same for a retry with the same code by the same device' }),
    tracing: z.literal('queued').meta({ description: 'Contacts are warned asynchronously, from the tracing outbox' }),
    notified: z.literal(0).meta({ description: 'Deprecated (API v1.0): always 0, warnings go out after the answer', deprecated: true }),
  })
  .meta({ id: 'InfectionResponse' });

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
        updatedAt: isoTime.optional().meta({ description: 'When a shorter chain raised this warning (lower degree, higher probability)' }),
        acknowledgedAt: isoTime.optional().meta({ description: 'When the device first acknowledged it (POST /v1/notifications/acknowledge)' }),
      }),
    ),
  })
  .meta({ id: 'NotificationsResponse' });

export const acknowledgeRequestSchema = z
  .object({ id: z.string().min(1).max(64).meta({ description: 'The id of one of the caller\'s notifications' }) })
  .strict()
  .meta({ id: 'AcknowledgeRequest' });

export const acknowledgeResponseSchema = z
  .object({
    id: z.string(),
    acknowledgedAt: isoTime.meta({ description: 'The first acknowledgement: repeating it changes nothing' }),
  })
  .meta({ id: 'AcknowledgeResponse' });

export const eraseResponseSchema = z
  .object({
    erased: z.object({
      tokens: z.number().int(),
      contacts: z.number().int(),
      notifications: z.number().int(),
      cases: z.number().int(),
      queuedMessages: z.number().int(),
      analyticsRecords: z.number().int().meta({ description: 'Pseudonymous analytics records naming the device' }),
    }),
  })
  .meta({ id: 'EraseResponse' });

const dropCountsSchema = z.object({
  unknown_token: z.number().int(),
  outside_window: z.number().int(),
  too_old: z.number().int(),
  self_contact: z.number().int(),
  erased_device: z.number().int(),
  uploads_over_daily_limit: z.number().int(),
  uploads_with_future_sightings: z.number().int(),
});

export const statsResponseSchema = z
  .object({
    queue: z.object({ backlog: z.number(), inFlight: z.number(), deadLettered: z.number(), oldestAgeSeconds: z.number() }),
    batchesProcessed: z.number().int(),
    observationsProcessed: z.number().int(),
    contactsStored: z.number().int(),
    cases: z.number().int(),
    notifications: z.number().int(),
    notificationsRaised: z.number().int(),
    tracing: z.object({ waiting: z.number().int(), deadLettered: z.number().int() }),
    dropped: z
      .object({ today: dropCountsSchema, lastSevenDays: dropCountsSchema })
      .meta({ description: 'Observations dropped (by reason) and uploads refused, per UTC day: a broken client shows here' }),
  })
  .meta({ id: 'StatsResponse' });

export const tokenFlagsResponseSchema = z
  .object({
    flags: z.array(
      z.object({
        device: z.number().int().meta({ description: 'The pseudonymous device number whose token it was' }),
        windowStart: isoTime,
        reason: z.enum(['too_many_reporters', 'impossible_travel']),
        reporters: z.number().int().meta({ description: 'Distinct devices that heard the token in that window' }),
        flaggedAt: isoTime,
      }),
    ),
  })
  .meta({ id: 'TokenFlagsResponse' });

export const healthResponseSchema = z.object({ status: z.literal('ok') }).meta({ id: 'HealthResponse' });

export const readinessResponseSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() })),
  })
  .meta({ id: 'ReadinessResponse' });
