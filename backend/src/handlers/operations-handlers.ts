import { buildOpenApiDocument } from '../api/openapi.js';
import type { BackendServices } from '../composition/backend-services.js';
import { authenticateOfficial } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { errorResponse, jsonResponse } from './http/responses.js';

/** GET /health */
export function makeHealth(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async () => jsonResponse(200, { status: 'ok' }));
}

/** GET /openapi.json */
export function makeOpenApiDocument(s: BackendServices): HttpLambda {
  const document = buildOpenApiDocument();
  return httpHandler(s.logger, async () => jsonResponse(200, document, { 'cache-control': 'public, max-age=300' }));
}

/** GET /.well-known/jwks.json: the local identity provider's public keys (Cognito serves its own). */
export function makeJwks(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async () =>
    s.jwks
      ? jsonResponse(200, s.jwks, { 'cache-control': 'public, max-age=300' })
      : errorResponse(404, 'not_found', 'This deployment does not issue tokens itself; Cognito publishes its keys.'),
  );
}

/** GET /v1/admin/stats: officials only; queue depth and what the consumer has stored. */
export function makeGetStats(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    await authenticateOfficial(event, s.identity);
    const [queue, contacts] = await Promise.all([s.queue.stats(), s.contacts.stats()]);
    return jsonResponse(200, {
      queue,
      batchesProcessed: contacts.batchesApplied,
      observationsProcessed: contacts.observationsApplied,
      contactsStored: contacts.contacts,
    });
  });
}

/** Scheduled: enforces retention (EventBridge schedule in AWS, a timer locally). */
export function makePurgeExpiredData(s: BackendServices): () => Promise<Record<string, number>> {
  return async () => {
    const now = s.clock().getTime();
    const before = new Date(now - s.config.retentionMs);
    const purged = {
      contacts: await s.contacts.purgeOlderThan(before),
      notifications: await s.notifier.purgeOlderThan(before),
      tokenIssuances: await s.tokenRegistry.purgeExpired(new Date(now)),
      // Past the lookback no token of an erased device is accepted any more (stale sightings are dropped).
      erasedDevices: await s.devices.purgeErasedBefore(new Date(now - s.config.exposurePolicy.lookbackMs - 86_400_000)),
      ...(await s.purgeExtras?.()),
    };
    s.logger.info('retention purge', purged);
    return purged;
  };
}
