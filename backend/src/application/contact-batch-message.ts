import * as z from 'zod';
import type { ContactBatch } from '../domain/contacts/observation.js';

/** The queue message body: a ContactBatch as JSON. Versioned so a consumer can refuse what it cannot read. */
export const CONTACT_BATCH_MESSAGE_VERSION = 1;

export const contactBatchMessageSchema = z.object({
  version: z.literal(CONTACT_BATCH_MESSAGE_VERSION),
  batchKey: z.string().min(1),
  batch: z.object({
    batchId: z.string().min(1),
    reporter: z.number().int().positive(),
    receivedAt: z.coerce.date(),
    observations: z
      .array(
        z.object({
          token: z.string(),
          firstSeen: z.coerce.date(),
          lastSeen: z.coerce.date(),
          rssi: z.number().int().optional(),
          rssiMean: z.number().optional(),
          sightings: z.number().int().positive().optional(),
          txPower: z.number().int().optional(),
          location: z.object({ lat: z.number(), lon: z.number() }).optional(),
        }),
      )
      .min(1),
  }),
});

export type ContactBatchMessage = z.infer<typeof contactBatchMessageSchema>;

export function toMessage(batchKey: string, batch: ContactBatch): ContactBatchMessage {
  return { version: CONTACT_BATCH_MESSAGE_VERSION, batchKey, batch };
}
