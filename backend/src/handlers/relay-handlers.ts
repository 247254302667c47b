import {
  ownerVerificationRequestSchema,
  registerDedicatedDeviceRequestSchema,
  relayBatchesRequestSchema,
  renewBundleRequestSchema,
} from '../api/relay-schemas.js';
import { acceptRelayedBatches, type RelayBatchResult } from '../application/relay/accept-relayed-batches.js';
import { issueOwnerTicket, openOwnerTicket } from '../application/relay/owner-verification.js';
import { registerDedicatedDevice, renewBundle, type Provisioned } from '../application/relay/register-dedicated-device.js';
import { relayOperations } from '../application/relay/relay-operations.js';
import type { DeviceCaller, ServicesOf } from '../composition/backend-services.js';
import { bundleDeps, relayDeps } from '../composition/relay-services.js';
import { keyedLabel } from '../domain/relay/owner-data.js';
import { authenticateDevice, authenticateOfficial } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { errorResponse, jsonResponse } from './http/responses.js';
import { guardedAnswer, throttledChallenge } from './http/sign-in-guard.js';

/** POST /v1/dedicated-devices/owner-verification: an SMS code to the owner's number, and the ticket to redeem it with. */
export function makeStartOwnerVerification(s: ServicesOf<'identity' | 'signInThrottle' | 'devices' | 'relay'>): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    await authenticateDevice(event, s);
    const { phoneNumber } = parseJsonBody(event, ownerVerificationRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const challenge = await throttledChallenge(s, event, phoneNumber, 'device');
    const verification = issueOwnerTicket({ keys: s.relay.keys, clock: s.clock }, challenge, phoneNumber);
    return jsonResponse(202, verification.devCode ? verification : { verificationId: verification.verificationId });
  });
}

/** POST /v1/dedicated-devices: registers a device for its verified owner; returns its token bundle and the backend keys. */
export function makeRegisterDedicatedDevice(s: ServicesOf<'identity' | 'signInThrottle' | 'devices' | 'relay' | 'queue' | 'cipher' | 'tokenRegistry'>): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    await authenticateDevice(event, s);
    const request = parseJsonBody(event, registerDedicatedDeviceRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const ticket = openOwnerTicket({ keys: s.relay.keys, clock: s.clock }, request.owner.verificationId);
    await guardedAnswer(s, event, ticket.challengeId, 'device', () => s.identity.confirmPhone(ticket.challengeId, request.owner.code));
    const ownerPhone = ticket.ownerPhone();
    const provisioned = await registerDedicatedDevice(bundleDeps(s), {
      publicKey: Buffer.from(request.publicKey, 'base64url'),
      ownerPhone,
      windows: s.config.relay.bundleWindows,
    });
    s.logger.info('dedicated device registered', { bundleWindows: provisioned.tokens.length });
    return jsonResponse(201, provisionedBody(provisioned));
  });
}

/** POST /v1/dedicated-devices/bundle: the next token bundle, asked for with the device's own signature. */
export function makeRenewBundle(s: ServicesOf<'relay' | 'queue' | 'cipher' | 'tokenRegistry'> & DeviceCaller): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    await authenticateDevice(event, s);
    const request = parseJsonBody(event, renewBundleRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const provisioned = await renewBundle(bundleDeps(s), {
      deviceId: request.deviceId,
      requestedAt: new Date(request.requestedAt),
      signature: Buffer.from(request.signature, 'base64url'),
      windows: s.config.relay.bundleWindows,
    });
    return jsonResponse(201, provisionedBody(provisioned));
  });
}

/**
 * POST /v1/relay/batches: sealed batches from any signed-in relay. 200 with one result per batch
 * when any was stored (now or before); otherwise the first refusal's 4xx, the results in details.
 */
export function makeRelayBatches(s: ServicesOf<'relay' | 'queue' | 'cipher'> & DeviceCaller): HttpLambda {
  const deps = relayDeps(s);
  return httpHandler(s.logger, async (event) => {
    const caller = await authenticateDevice(event, s);
    const { batches } = parseJsonBody(event, relayBatchesRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const relay = keyedLabel(s.relay.keys.ownerDataKey, 'relay', caller.subject, 9);
    const results = (await acceptRelayedBatches(deps, relay, batches.map((b) => Buffer.from(b, 'base64url')))).map(resultBody);
    const refused = results.filter((r) => r.outcome === 'rejected');
    if (refused.length > 0) s.logger.warn('relay batches refused', { relay, codes: refused.map((r) => r.code) });
    if (refused.length === results.length) {
      const first = refused[0]!;
      return errorResponse(first.status, first.code!, first.message ?? 'The batch was refused.', { results });
    }
    return jsonResponse(200, { results });
  });
}

/** GET /v1/admin/relay-operations: officials only; pseudonymous counts per relay and per dedicated device. */
export function makeGetRelayOperations(s: ServicesOf<'relay' | 'identity'>): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    await authenticateOfficial(event, s.identity);
    return jsonResponse(200, await relayOperations({ registry: s.relay.registry, ledger: s.relay.ledger, ownerDataKey: s.relay.keys.ownerDataKey, clock: s.clock }));
  });
}

function resultBody(r: RelayBatchResult) {
  return { ...r, ack: r.ack?.toString('base64url') };
}

function provisionedBody(p: Provisioned) {
  return {
    deviceId: p.deviceId,
    tokens: p.tokens.map((t) => ({ token: t.token, validFrom: t.validFrom.toISOString(), validUntil: t.validUntil.toISOString() })),
    backend: {
      batchKeyId: p.backend.batchKeyId,
      batchPublicKey: p.backend.batchPublicKey.toString('base64url'),
      ackPublicKey: p.backend.ackPublicKey.toString('base64url'),
    },
  };
}
