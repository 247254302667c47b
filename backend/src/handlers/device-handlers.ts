import { acknowledgeRequestSchema } from '../api/schemas.js';
import { acknowledgeNotification } from '../application/acknowledge-notification.js';
import { eraseDevice } from '../application/erase-device.js';
import type { DeviceCaller, ServicesOf } from '../composition/backend-services.js';
import { eraseDeviceDeps, type ErasureServices } from '../composition/erase-deps.js';
import { authenticateDevice } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';

/** GET /v1/notifications: the caller's exposure warnings, one per case (never which case caused them). */
export function makeGetNotifications(s: ServicesOf<'ledger'> & DeviceCaller): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const device = await authenticateDevice(event, s);
    const notifications = await s.ledger.notificationsFor(device.number);
    return jsonResponse(200, {
      notifications: notifications.map((n) => ({
        id: n.id,
        kind: 'exposure' as const,
        degree: n.degree,
        probability: n.probability,
        exposedAt: n.exposedAt.toISOString(),
        issuedAt: n.issuedAt.toISOString(),
        ...(n.updatedAt ? { updatedAt: n.updatedAt.toISOString() } : {}),
        ...(n.acknowledgedAt ? { acknowledgedAt: n.acknowledgedAt.toISOString() } : {}),
      })),
    });
  });
}

/** POST /v1/notifications/acknowledge: the user saw this warning; the first acknowledgement is kept. */
export function makeAcknowledgeNotification(s: ServicesOf<'ledger'> & DeviceCaller): HttpLambda {
  const deps = { ledger: s.ledger, clock: s.clock };
  return httpHandler(s.logger, async (event) => {
    const device = await authenticateDevice(event, s);
    const { id } = parseJsonBody(event, acknowledgeRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const acknowledgedAt = await acknowledgeNotification(deps, device, id);
    return jsonResponse(200, { id, acknowledgedAt: acknowledgedAt.toISOString() });
  });
}

/** DELETE /v1/me: erases everything about the caller's device; safe to call again after a failure. */
export function makeEraseMe(s: ErasureServices): HttpLambda {
  const deps = eraseDeviceDeps(s);
  return httpHandler(s.logger, async (event) => {
    const device = await authenticateDevice(event, s, { allowErasing: true });
    const erased = await eraseDevice(deps, device);
    s.logger.info('device erased', { ...erased });
    return jsonResponse(200, { erased });
  });
}
