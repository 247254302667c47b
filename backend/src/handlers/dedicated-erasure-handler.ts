import { eraseDedicatedDeviceRequestSchema } from '../api/relay-schemas.js';
import { eraseDedicatedDevice } from '../application/relay/erase-dedicated-device.js';
import { eraseDedicatedDeviceDeps, type DedicatedErasureServices } from '../composition/erase-deps.js';
import { authenticateDevice } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';

/**
 * POST /v1/dedicated-devices/erasure: the owner erases a dedicated device, with a request signed by
 * the device's key, through any signed-in phone or bridge; safe to call again after a failure.
 */
export function makeEraseDedicatedDevice(s: DedicatedErasureServices): HttpLambda {
  const deps = eraseDedicatedDeviceDeps(s);
  return httpHandler(s.logger, async (event) => {
    await authenticateDevice(event, s);
    const request = parseJsonBody(event, eraseDedicatedDeviceRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const erased = await eraseDedicatedDevice(deps, { deviceId: request.deviceId, requestedAt: new Date(request.requestedAt), signature: Buffer.from(request.signature, 'base64url') });
    s.logger.info('dedicated device erased', { ...erased });
    return jsonResponse(200, { erased });
  });
}
