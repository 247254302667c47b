import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { buildOpenApiDocument } from '../api/openapi.js';
import { OperationalCounts } from '../application/operational-counts.js';
import type { ServicesOf } from '../composition/backend-services.js';
import { authenticateOfficial } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { errorResponse, jsonResponse } from './http/responses.js';
import { withinInvocation } from './invocation-scope.js';

/** GET /health */
export function makeHealth(s: ServicesOf): HttpLambda {
  return httpHandler(s.logger, async () => jsonResponse(200, { status: 'ok' }));
}

/** How long a readiness answer is reused: probes every few seconds cost the dependencies nothing more. */
const READINESS_CACHE_MS = 10_000;
const CHECK_TIMEOUT_MS = 2_000;

/** GET /ready: each dependency probed once (cheaply, in parallel, 2 s each); 503 while any fails. */
export function makeReadiness(s: ServicesOf<'dependencyChecks'>): HttpLambda {
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

async function timedCheck(check: () => Promise<void>, s: ServicesOf): Promise<{ ok: boolean; ms: number; error?: string }> {
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
export function makeOpenApiDocument(s: ServicesOf): HttpLambda {
  const document = buildOpenApiDocument();
  return httpHandler(s.logger, async () => jsonResponse(200, document, { 'cache-control': 'public, max-age=300' }));
}

/** GET /.well-known/jwks.json: the local identity provider's public keys (Cognito serves its own). */
export function makeJwks(s: ServicesOf<'jwks'>): HttpLambda {
  return httpHandler(s.logger, async () =>
    s.jwks
      ? jsonResponse(200, s.jwks, { 'cache-control': 'public, max-age=300' })
      : errorResponse(404, 'not_found', 'This deployment does not issue tokens itself; Cognito publishes its keys.'),
  );
}

/** GET /v1/admin/stats: officials only; queue depth, what the consumer has stored, cases and warnings. */
export function makeGetStats(s: ServicesOf<'identity' | 'queue' | 'contacts' | 'ledger' | 'outbox' | 'reports' | 'rateLimits'>): HttpLambda {
  const counts = new OperationalCounts(s.rateLimits);
  return httpHandler(s.logger, async (event) => {
    await authenticateOfficial(event, s.identity);
    const [queue, contacts, ledger, reports, tracing, dropped] = await Promise.all([
      s.queue.stats(),
      s.contacts.stats(),
      s.ledger.stats(),
      s.reports.stats(),
      s.outbox.stats(),
      counts.read(s.clock()),
    ]);
    return jsonResponse(200, {
      queue,
      batchesProcessed: contacts.batchesApplied,
      observationsProcessed: contacts.observationsApplied,
      contactsStored: contacts.contacts,
      cases: reports.cases,
      notifications: ledger.notifications,
      notificationsRaised: ledger.raised,
      tracing,
      dropped,
    });
  });
}

/** GET /v1/admin/token-flags: officials only; the newest 500 token windows the tracer judged relayed. */
export function makeGetTokenFlags(s: ServicesOf<'identity' | 'tokenFlags'>): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    await authenticateOfficial(event, s.identity);
    const flags = await s.tokenFlags.list(500);
    return jsonResponse(200, {
      flags: flags.map((f) => ({
        device: f.device,
        windowStart: new Date(f.windowStartMinute * 60_000).toISOString(),
        reason: f.reason,
        reporters: f.reporters,
        flaggedAt: f.flaggedAt.toISOString(),
      })),
    });
  });
}

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, v]));
}

/** Scheduled: enforces retention on every store (EventBridge schedule in AWS, a timer locally). */
export function makePurgeExpiredData(
  s: ServicesOf<'reports' | 'queue' | 'contacts' | 'tokenFlags' | 'ledger' | 'tokenRegistry' | 'devices' | 'analytics' | 'pseudonymKeys' | 'purgeExtras'>,
): (event?: unknown, context?: Context) => Promise<Record<string, number>> {
  return (_event, context) => withinInvocation(context ?? { functionName: 'purgeExpiredData', awsRequestId: randomUUID() }, async () => {
    const now = s.clock().getTime();
    const r = s.config.retention;
    const ago = (ms: number) => new Date(now - ms);
    const reports = await s.reports.purge(ago(r.casesMs), ago(r.verificationCodesMs));
    const queue = await s.queue.purge(ago(r.contactsMs), ago(r.deadLettersMs));
    const purged = {
      contacts: await s.contacts.purgeOlderThan(ago(r.contactsMs)),
      tokenFlags: await s.tokenFlags.purgeOlderThan(ago(r.contactsMs)),
      notifications: await s.ledger.purgeOlderThan(ago(r.notificationsMs)),
      ...reports,
      ...queue,
      tokenIssuances: await s.tokenRegistry.purgeExpired(new Date(now)),
      erasedDevices: await s.devices.purgeErasedBefore(ago(r.erasedNumbersMs)),
      ...prefixed('analytics', await s.analytics.purge(now, s.config.analytics.retention)),
      analyticsKeys: await s.pseudonymKeys.purgeExpired(new Date(now)),
      ...(await s.purgeExtras?.()),
    };
    s.logger.info('retention purge', purged);
    return purged;
  });
}
