import { ed25519PublicKey, ackMessage, encodeAck, signEd25519, verifyEd25519 } from '../../domain/relay/relay-signatures.js';
import { BatchFormatError, decodeSignedBatch, sha256, type SignedRelayBatch } from '../../domain/relay/relay-batch.js';
import { placeInChain, type ChainDecision } from '../../domain/relay/relay-chain.js';
import { EnvelopeError, openSealedBatch } from '../../domain/relay/relay-seal.js';
import type { DedicatedDevice } from '../../ports/dedicated-devices.js';
import { acceptContactBatch } from '../accept-contact-batch.js';
import { dedicatedSubject, type RelayDeps } from './relay-deps.js';

export type RelayOutcome = 'accepted' | 'duplicate' | 'rejected';

export interface RelayBatchResult {
  index: number;
  /** The HTTP status this batch alone would get: 202 accepted, 200 already stored, 4xx refused. */
  status: number;
  outcome: RelayOutcome;
  /** Stable snake_case reason for a refusal (and `batch_replayed` for the same sealed bytes again). */
  code?: string;
  message?: string;
  /** The backend-signed acknowledgement to write back to the device, whenever the batch is stored. */
  ack?: Buffer;
}

/** How many times a delivery retries when another delivery moved the chain under it. */
const MAX_RACES = 4;

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly ack?: Buffer,
  ) {
    super(message);
  }
}

/**
 * POST /v1/relay/batches: opens each envelope, verifies the batch's signature against its device's
 * key and fits it into the device's hash chain, then sends its observations the way a phone's go
 * (acceptContactBatch: the queue, the consumer, tracing) before the chain moves, so an
 * acknowledged batch is always queued. Every outcome is counted per relay (pseudonymous).
 */
export async function acceptRelayedBatches(deps: RelayDeps, relay: string, envelopes: readonly Buffer[]): Promise<RelayBatchResult[]> {
  const results: RelayBatchResult[] = [];
  // Devices with a batch to send again: their later batches would pass it in the chain (a false
  // gap) and their ack would free it on the device, so they wait for the next delivery too.
  const waiting = new Set<string>();
  for (const [index, envelope] of envelopes.entries()) {
    let result: RelayBatchResult;
    try {
      result = { index, ...(await acceptOne(deps, envelope, waiting)) };
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      result = { index, status: error.status, outcome: 'rejected', code: error.code, message: error.message, ...(error.ack ? { ack: error.ack } : {}) };
    }
    const now = deps.clock();
    await deps.registry.countDelivery(relay, result.code ?? result.outcome, now, new Date(now.getTime() + deps.retentionMs));
    results.push(result);
  }
  return results;
}

async function acceptOne(deps: RelayDeps, envelope: Buffer, waiting: Set<string>): Promise<Omit<RelayBatchResult, 'index'>> {
  const batch = await openAndVerify(deps, envelope);
  if (waiting.has(batch.deviceId)) throw new Refused(409, 'batch_contended', `An earlier batch of this device in the request must be sent again first; send batch ${batch.seq} again with it.`);
  const envelopeHash = sha256(envelope);
  for (let race = 0; race < MAX_RACES; race++) {
    const device = await deps.registry.find(batch.deviceId);
    // Erased by its owner while this delivery was under way.
    if (!device) throw new Refused(422, 'device_unknown', 'No dedicated device is registered under the id in this batch.');
    const decision = await decide(deps, device, batch);
    if (decision.kind === 'reject') throw new Refused(409, decision.code, decision.message);
    const ack = signAck(deps, batch);
    const keepUntil = new Date(deps.clock().getTime() + deps.retentionMs);
    if (decision.kind === 'duplicate') {
      const first = await deps.registry.recordEnvelope(envelopeHash, keepUntil);
      if (!first) throw new Refused(409, 'batch_replayed', `These exact bytes of batch ${batch.seq} were delivered before.`, ack);
      return { status: 200, outcome: 'duplicate', message: `Batch ${batch.seq} was already stored.`, ack };
    }
    await queueObservations(deps, device, batch);
    const moved = await deps.registry.recordAccepted({
      deviceId: batch.deviceId,
      seq: batch.seq,
      batchHash: batch.hash,
      expectedHighestSeq: device.chain.highestSeq,
      dropped: batch.dropped,
      createdAt: batch.createdAt,
      receivedAt: deps.clock(),
      gap: decision.gap,
      keepUntil: new Date(Math.max(keepUntil.getTime(), device.keepUntil.getTime())),
    });
    if (!moved) continue; // another relay delivered meanwhile: decide again against the new head
    await deps.registry.recordEnvelope(envelopeHash, keepUntil);
    return { status: 202, outcome: 'accepted', ack };
  }
  waiting.add(batch.deviceId);
  throw new Refused(409, 'batch_contended', `Batch ${batch.seq} raced other deliveries of this device; send it again.`);
}

async function openAndVerify(deps: RelayDeps, envelope: Buffer): Promise<SignedRelayBatch> {
  let plain: Buffer;
  try {
    plain = await openSealedBatch(envelope, deps.keys.batchKeyring);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    if (error.reason === 'malformed') throw new Refused(400, 'batch_malformed', error.message);
    throw new Refused(422, error.reason === 'unknown_key' ? 'batch_key_unknown' : 'batch_undecryptable', error.message);
  }
  let batch: SignedRelayBatch;
  try {
    batch = decodeSignedBatch(plain);
  } catch (error) {
    if (error instanceof BatchFormatError) throw new Refused(400, 'batch_malformed', error.message);
    throw error;
  }
  const device = await deps.registry.find(batch.deviceId);
  if (!device) throw new Refused(422, 'device_unknown', 'No dedicated device is registered under the id in this batch.');
  if (!verifyEd25519(ed25519PublicKey(device.publicKey), batch.signedPart, batch.signature)) {
    throw new Refused(422, 'batch_signature_invalid', 'The batch is not signed by the device it names.');
  }
  return batch;
}

async function decide(deps: RelayDeps, device: DedicatedDevice, batch: SignedRelayBatch): Promise<ChainDecision> {
  const past = batch.seq <= device.chain.highestSeq ? await deps.registry.pastSeq(device.deviceId, batch.seq) : ({ kind: 'unknown' } as const);
  return placeInChain(device.chain, batch, past);
}

async function queueObservations(deps: RelayDeps, device: DedicatedDevice, batch: SignedRelayBatch): Promise<void> {
  const reporter = { subject: dedicatedSubject(device.deviceId), number: device.deviceNumber, createdAt: device.registeredAt };
  const observations = batch.observations.map((o) => ({ token: o.token.toString('base64url'), firstSeen: o.firstSeen, lastSeen: o.lastSeen, rssi: o.rssi }));
  await acceptContactBatch({ queue: deps.queue, cipher: deps.cipher, rules: deps.sightingRules, clock: deps.clock }, reporter, `relay-${batch.seq}`, observations);
}

function signAck(deps: RelayDeps, batch: SignedRelayBatch): Buffer {
  return encodeAck(batch.hash, signEd25519(deps.keys.ackSigningKey, ackMessage(batch.deviceId, batch.seq, batch.hash)));
}
