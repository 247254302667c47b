import * as z from 'zod';
import { E164 } from '../config/env-schema.js';
import { eraseResponseSchema } from './schemas.js';

/** Relaying and dedicated devices (docs/RELAY.md): request and response bodies. */

export const MAX_RELAY_BATCHES_PER_REQUEST = 20;
const base64url = (description: string) => z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url').meta({ description });
const isoTime = z.iso.datetime({ offset: true });

export const ownerVerificationRequestSchema = z
  .object({ phoneNumber: z.string().regex(E164, 'must be an E.164 phone number such as +447700900123') })
  .strict()
  .meta({ id: 'OwnerVerificationRequest' });

export const ownerVerificationResponseSchema = z
  .object({ verificationId: z.string(), devCode: z.string().optional().meta({ description: 'Only with DEV_SMS_ECHO=1' }) })
  .meta({ id: 'OwnerVerificationResponse' });

export const registerDedicatedDeviceRequestSchema = z
  .object({
    publicKey: base64url('The device’s Ed25519 public key, 32 bytes').length(43, 'must be 32 bytes of base64url'),
    owner: z.object({ verificationId: z.string().min(1).max(2048), code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') }).strict(),
  })
  .strict()
  .meta({ id: 'RegisterDedicatedDeviceRequest' });

export const renewBundleRequestSchema = z
  .object({
    deviceId: z.uuid(),
    requestedAt: isoTime,
    signature: base64url('Ed25519 signature by the device over "PTRN:<deviceId>:<requestedAt ms>"').length(86, 'must be 64 bytes of base64url'),
  })
  .strict()
  .meta({ id: 'RenewBundleRequest' });

export const eraseDedicatedDeviceRequestSchema = z
  .object({
    deviceId: z.uuid(),
    requestedAt: isoTime,
    signature: base64url('Ed25519 signature by the device over "PTRE:<deviceId>:<requestedAt ms>"').length(86, 'must be 64 bytes of base64url'),
  })
  .strict()
  .meta({ id: 'EraseDedicatedDeviceRequest' });

export const eraseDedicatedDeviceResponseSchema = z
  .object({
    erased: eraseResponseSchema.shape.erased.extend({
      relayRecords: z.number().int().meta({ description: 'The registration (public key, sealed owner number), its receipts and gaps' }),
      ownerAlerts: z.number().int().meta({ description: "Records of SMS sent to the owner about this device" }),
    }),
  })
  .meta({ id: 'EraseDedicatedDeviceResponse' });

export const provisionedResponseSchema = z
  .object({
    deviceId: z.uuid(),
    tokens: z.array(z.object({ token: z.string(), validFrom: isoTime, validUntil: isoTime })),
    backend: z.object({
      batchKeyId: z.number().int(),
      batchPublicKey: base64url('X25519 key batches are sealed to'),
      ackPublicKey: base64url('Ed25519 key acknowledgements are signed with'),
    }),
  })
  .meta({ id: 'ProvisionedDedicatedDevice' });

export const relayBatchesRequestSchema = z
  .object({ batches: z.array(base64url('A sealed batch, exactly as the device handed it over').max(4096)).min(1).max(MAX_RELAY_BATCHES_PER_REQUEST) })
  .strict()
  .meta({ id: 'RelayBatchesRequest' });

export const relayBatchResultSchema = z
  .object({
    index: z.number().int(),
    status: z.number().int().meta({ description: '202 stored now, 200 already stored, 4xx refused' }),
    outcome: z.enum(['accepted', 'duplicate', 'rejected']),
    code: z.string().optional(),
    message: z.string().optional(),
    ack: base64url('Backend-signed acknowledgement to write back to the device').optional(),
  })
  .meta({ id: 'RelayBatchResult' });

export const relayBatchesResponseSchema = z.object({ results: z.array(relayBatchResultSchema) }).meta({ id: 'RelayBatchesResponse' });

export const relayOperationsResponseSchema = z
  .object({
    relays: z.array(z.object({ relay: z.string(), delivered: z.number(), duplicates: z.number(), rejected: z.number(), lastDeliveryAt: isoTime.nullable() })),
    devices: z.array(
      z.object({
        device: z.string(),
        highestSeq: z.number(),
        lastDeliveryAt: isoTime.nullable(),
        deliveryLagSeconds: z.number().nullable(),
        silentForSeconds: z.number().nullable(),
        bundleUntil: isoTime,
        gaps: z.number(),
        missingBatches: z.number(),
        droppedByDevice: z.number(),
      }),
    ),
    rejections: z.record(z.string(), z.number()),
    ownerAlerts: z.object({ sent: z.number(), rateLimited: z.number(), failed: z.number() }),
  })
  .meta({ id: 'RelayOperations' });
