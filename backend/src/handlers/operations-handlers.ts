import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { buildOpenApiDocument } from '../api/openapi.js';
import { OperationalCounts } from '../application/operational-counts.js';
import type { BackendServices } from '../composition/backend-services.js';
import { authenticateOfficial } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { errorResponse, jsonResponse } from './http/responses.js';
import { withinInvocation } from './invocation-scope.js';

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

/** GET /v1/admin/stats: officials only; queue depth, what the consumer has stored, cases and warnings. */
export function makeGetStats(s: BackendServices): HttpLambda {
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
export function makeGetTokenFlags(s: BackendServices): HttpLambda {
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

/** Scheduled: enforces retention on every store (EventBridge schedule in AWS, a timer locally). */
export function makePurgeExpiredData(s: BackendServices): (event?: unknown, context?: Context) => Promise<Record<string, number>> {
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
      ...(await s.purgeExtras?.()),
    };
    s.logger.info('retention purge', purged);
    return purged;
  });
}
