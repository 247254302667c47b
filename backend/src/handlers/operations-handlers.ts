import { buildOpenApiDocument } from '../api/openapi.js';
import type { BackendServices } from '../composition/backend-services.js';
import { authenticateOfficial } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { errorResponse, jsonResponse } from './http/responses.js';

/** GET /health */
export function makeHealth(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async () => jsonResponse(200, { status: 'ok' }));
}

/** How long a readiness answer is reused: probes every few seconds cost the dependencies nothing more. */
const READINESS_CACHE_MS = 10_000;
const CHECK_TIMEOUT_MS = 2_000;

/** GET /ready: each dependency probed once (cheaply, in parallel, 2 s each); 503 while any fails. */
export function makeReadiness(s: BackendServices): HttpLambda {
  let cached: { at: number; status: number; body: object } | undefined;
  return httpHandler(s.logger, async () => {
    const now = s.clock().getTime();
    if (!cached || now - cached.at >= READINESS_CACHE_MS) {
      const entries = await Promise.all(Object.entries(s.dependencyChecks ?? {}).map(async ([name, check]) => [name, await timedCheck(check, s)] as const));
      const ready = entries.every(([, result]) => result.ok);
      cached = { at: now, status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(entries) } };
      if (!ready) s.logger.warn('not ready', { readiness: cached.body });
    }
    return jsonResponse(cached.status, cached.body);
  });
}

async function timedCheck(check: () => Promise<void>, s: BackendServices): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = s.clock().getTime();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: s.clock().getTime() - started };
  } catch (error) {
    return { ok: false, ms: s.clock().getTime() - started, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
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
