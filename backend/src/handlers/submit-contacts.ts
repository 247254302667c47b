import { contactsRequestSchema } from '../api/schemas.js';
import { acceptContactBatch } from '../application/accept-contact-batch.js';
import { OperationalCounts } from '../application/operational-counts.js';
import { RateLimitedError } from '../domain/errors.js';
import type { DeviceCaller, ServicesOf } from '../composition/backend-services.js';
import { authenticateDevice } from './http/authenticate.js';
import { HttpError } from './http/http-error.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';

/** Sightings may not lie in the future beyond this much clock skew. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * POST /v1/contacts: queues a batch of up to 50 observations; 202 once it is durable. The answer
 * says which observations were dropped (and why) and which were clipped to their token's window.
 */
export function makeSubmitContacts(s: ServicesOf<'cipher' | 'queue' | 'rateLimits' | 'metrics'> & DeviceCaller): HttpLambda {
  const deps = { queue: s.queue, cipher: s.cipher, rules: s.config.sightingRules, clock: s.clock };
  const counts = new OperationalCounts(s.rateLimits);
  return httpHandler(s.logger, async (event) => {
    const device = await authenticateDevice(event, s);
    const request = parseJsonBody(event, contactsRequestSchema, { maxBytes: s.config.maxBodyBytes });
    await withinDailyUploads(s, counts, device.number);
    const latestAllowed = s.clock().getTime() + MAX_CLOCK_SKEW_MS;
    const future = request.observations.findIndex((o) => Date.parse(o.lastSeen) > latestAllowed);
    if (future >= 0) {
      await counts.count({ uploads_with_future_sightings: 1 }, s.clock());
      throw new HttpError(400, 'validation_failed', `Invalid request body: observations.${future}.lastSeen lies in the future.`, {
        issues: [{ path: `observations.${future}.lastSeen`, message: 'lies in the future', code: 'custom' }],
      });
    }
    const observations = request.observations.map((o) => ({
      token: o.token,
      firstSeen: new Date(o.firstSeen),
      lastSeen: new Date(o.lastSeen),
      rssi: o.rssi,
      rssiMean: o.rssiMean,
      sightings: o.sightings,
      txPower: o.txPower,
      location: o.location,
    }));
    const accepted = await acceptContactBatch(deps, device, request.batchId, observations);
    if (accepted.dropped.length > 0) {
      const reasons = countReasons(accepted.dropped);
      s.logger.info('observations dropped at upload', { dropped: accepted.dropped.length, reasons });
      // These never reach the queue, so the consumer's ObservationsDropped cannot count them.
      for (const [reason, n] of Object.entries(reasons)) s.metrics.count('ObservationsDropped', n, { reason });
      await counts.count(reasons, s.clock());
    }
    return jsonResponse(202, {
      batchId: accepted.batchId,
      accepted: accepted.accepted,
      ...(accepted.dropped.length > 0 ? { dropped: accepted.dropped } : {}),
      ...(accepted.clipped.length > 0
        ? { clipped: accepted.clipped.map((c) => ({ index: c.index, firstSeen: c.firstSeen.toISOString(), lastSeen: c.lastSeen.toISOString() })) }
        : {}),
    });
  });
}

/** More uploads in a day than any one person's meetings need: refused until the day ends, and counted. */
async function withinDailyUploads(s: ServicesOf<'rateLimits'>, counts: OperationalCounts, device: number): Promise<void> {
  const now = s.clock();
  const day = Math.floor(now.getTime() / DAY_MS);
  const endsAt = new Date((day + 1) * DAY_MS);
  const { allowed } = await s.rateLimits.take(`uploads:${device}:${day}`, s.config.maxUploadsPerDevicePerDay, endsAt, now);
  if (allowed) return;
  await counts.count({ uploads_over_daily_limit: 1 }, now);
  throw new RateLimitedError('uploads_per_device_per_day', Math.ceil((endsAt.getTime() - now.getTime()) / 1000));
}

const DAY_MS = 86_400_000;

function countReasons(dropped: readonly { reason: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { reason } of dropped) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}
