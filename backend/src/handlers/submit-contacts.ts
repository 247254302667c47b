import { contactsRequestSchema } from '../api/schemas.js';
import { acceptContactBatch } from '../application/accept-contact-batch.js';
import type { BackendServices } from '../composition/backend-services.js';
import { authenticateDevice } from './http/authenticate.js';
import { HttpError } from './http/http-error.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';

/** Sightings may not lie in the future beyond this much clock skew. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** POST /v1/contacts: queues a batch of up to 50 observations; 202 once it is durable. */
export function makeSubmitContacts(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const device = await authenticateDevice(event, s.identity, s.devices);
    const request = parseJsonBody(event, contactsRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const latestAllowed = s.clock().getTime() + MAX_CLOCK_SKEW_MS;
    const future = request.observations.findIndex((o) => Date.parse(o.lastSeen) > latestAllowed);
    if (future >= 0) {
      throw new HttpError(400, 'validation_failed', `Invalid request body: observations.${future}.lastSeen lies in the future.`, {
        issues: [{ path: `observations.${future}.lastSeen`, message: 'lies in the future', code: 'custom' }],
      });
    }
    const observations = request.observations.map((o) => ({
      token: o.token,
      firstSeen: new Date(o.firstSeen),
      lastSeen: new Date(o.lastSeen),
      rssi: o.rssi,
      location: o.location,
    }));
    const accepted = await acceptContactBatch({ queue: s.queue, clock: s.clock }, device, request.batchId, observations);
    return jsonResponse(202, { batchId: accepted.batchId, accepted: accepted.accepted });
  });
}
