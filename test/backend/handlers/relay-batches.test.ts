import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import { makeRequestSmsCode, makeVerifySmsCode } from '../../../backend/src/handlers/auth-handlers.js';
import { makeRegisterTokens } from '../../../backend/src/handlers/register-tokens.js';
import { makeGetRelayOperations, makeRelayBatches } from '../../../backend/src/handlers/relay-handlers.js';
import { decodeSignedBatch, encodeBatchForSigning, ZERO_HASH, type RelayObservation } from '../../../backend/src/domain/relay/relay-batch.js';
import { sealBatch } from '../../../backend/src/domain/relay/relay-seal.js';
import { signEd25519 } from '../../../backend/src/domain/relay/relay-signatures.js';
import { BatchSealer } from '../../../device-bridge/src/dedicated/batch-sealer.js';
import type { DeviceCredentials } from '../../../device-bridge/src/dedicated/device-credentials.js';
import { MIN, NOW } from '../../support/builders.js';
import { embeddedServices, httpEvent, lambdaContext, testClock, type TestClock } from '../../support/embedded-services.js';
import { handlerClient } from '../../support/handler-client.js';
import { provisionDevice } from '../../support/relay-fixtures.js';

const OFFICIAL = '+15550120000';

/**
 * POST /v1/relay/batches against an untrusted relay: every attack of the issue is refused with its
 * 4xx and counted, a gap is recorded, a batch through two relays is stored once.
 */
describe('POST /v1/relay/batches', () => {
  let clock: TestClock;
  let env: Awaited<ReturnType<typeof embeddedServices>>;
  let s: EmbeddedServices;
  let device: DeviceCredentials;
  let sealer: BatchSealer;
  let relayA: Record<string, string>;
  let relayB: Record<string, string>;
  let tokens: string[];

  const call = async (make: (s: EmbeddedServices) => ReturnType<typeof makeRelayBatches>, routeKey: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await make(s)(httpEvent(routeKey, body, headers), lambdaContext());
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
  };
  const signIn = async (phoneNumber: string) => {
    const challenge = await call(makeRequestSmsCode, 'POST /v1/auth/sms', { phoneNumber });
    const verified = await call(makeVerifySmsCode, 'POST /v1/auth/verify', { challengeId: challenge.body.challengeId, code: challenge.body.devCode });
    return { authorization: `Bearer ${verified.body.accessToken}` };
  };
  const relay = (envelopes: Buffer[], as = relayA) => call(makeRelayBatches, 'POST /v1/relay/batches', { batches: envelopes.map((e) => e.toString('base64url')) }, as);
  const operations = async () => {
    const official = await handlerClient(s, { totpNow: clock.now }).signInOfficial(OFFICIAL);
    return (await call(makeGetRelayOperations, 'GET /v1/admin/relay-operations', undefined, { authorization: official.authorization })).body;
  };
  const observationsOf = (n: number): RelayObservation[] =>
    Array.from({ length: n }, (_, i) => ({ token: Buffer.from(tokens[i % tokens.length]!, 'base64url'), firstSeen: new Date(NOW.getTime() - 20 * MIN), lastSeen: new Date(NOW.getTime() - 5 * MIN), rssi: -60 - i }));
  /** The device's batches 1..n, chained as its store chains them. */
  const chain = (n: number, dropped: (seq: number) => number = () => 0): Buffer[] => {
    const out: Buffer[] = [];
    let prev: Buffer = ZERO_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const signed = sealer.sign({ seq, prevHash: prev, createdAt: new Date(NOW.getTime() - 4 * MIN), dropped: dropped(seq), observations: observationsOf(3) });
      prev = decodeSignedBatch(signed).hash;
      out.push(signed);
    }
    return out;
  };
  const seal = (signed: Buffer) => sealer.sealForHandover(signed);

  beforeEach(async () => {
    clock = testClock(NOW);
    env = await embeddedServices({ clock, env: { OFFICIAL_PHONE_NUMBERS: OFFICIAL } });
    s = env.services;
    device = await provisionDevice(s);
    sealer = new BatchSealer(device);
    relayA = await signIn('+15550120001');
    relayB = await signIn('+15550120002');
    tokens = (await call(makeRegisterTokens, 'POST /v1/tokens', { count: 1 }, relayA)).body.tokens.map((t: { token: string }) => t.token);
  });
  afterEach(() => env.close());

  it("accepts a device's batch, queues it as that device's contacts, and answers with an ack the device accepts", async () => {
    const [first] = chain(1);
    const response = await relay([await seal(first!)]);
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual([{ index: 0, status: 202, outcome: 'accepted', ack: expect.any(String) }]);
    const ack = Buffer.from(response.body.results[0].ack, 'base64url');
    expect(sealer.verifyAck(ack, () => 1)).toEqual({ batchHash: decodeSignedBatch(first!).hash, seq: 1 });
    expect(sealer.verifyAck(ack, () => 2)).toBeUndefined(); // bound to the seq it acknowledges
    const [message] = s.database.db.prepare('SELECT body FROM queue_messages').all() as { body: string }[];
    const registered = await s.relay.registry.find(device.deviceId);
    expect(JSON.parse(message!.body).batch).toMatchObject({ reporter: registered!.deviceNumber, batchId: 'relay-1' });
    expect(JSON.parse(message!.body).batch.observations).toHaveLength(3);
  });

  it.each([
    {
      attack: 'alters an observation in the envelope',
      status: 422,
      code: 'batch_undecryptable',
      envelope: async (signed: Buffer[]) => {
        const e = await seal(signed[0]!);
        e[e.length - 30]! ^= 0x01;
        return [e];
      },
    },
    {
      attack: 'alters an observation and seals the batch to the backend itself',
      status: 422,
      code: 'batch_signature_invalid',
      envelope: async (signed: Buffer[]) => {
        const altered = Buffer.from(signed[0]!);
        altered[68 + 24] = 0x10; // the first observation's RSSI
        return [await sealBatch(altered, device.backend.batchPublicKey, device.backend.batchKeyId)];
      },
    },
    {
      attack: 'forges a batch for another device',
      status: 422,
      code: 'batch_signature_invalid',
      envelope: async () => {
        const body = encodeBatchForSigning({ deviceId: device.deviceId, seq: 1, prevHash: ZERO_HASH, createdAt: NOW, dropped: 0, observations: observationsOf(1) });
        const forgerKey = generateKeyPairSync('ed25519').privateKey;
        return [await sealBatch(Buffer.concat([body, signEd25519(forgerKey, body)]), device.backend.batchPublicKey, device.backend.batchKeyId)];
      },
    },
    {
      attack: 'forges a batch for a device that is not registered',
      status: 422,
      code: 'device_unknown',
      envelope: async () => {
        const stranger = new BatchSealer({ ...device, deviceId: randomUUID() });
        return [await stranger.sealForHandover(stranger.sign({ seq: 1, prevHash: ZERO_HASH, createdAt: NOW, dropped: 0, observations: observationsOf(1) }))];
      },
    },
    {
      attack: 'sends bytes that are no envelope at all',
      status: 400,
      code: 'batch_malformed',
      envelope: async () => [Buffer.from('not a batch at all, just a relay making things up')],
    },
  ])('refuses when the relay $attack ($status $code), and counts it', async ({ envelope, status, code }) => {
    const response = await relay(await envelope(chain(1)));
    expect(response.status).toBe(status);
    expect(response.body.error).toMatchObject({ code, details: { results: [expect.objectContaining({ status, outcome: 'rejected', code })] } });
    expect(response.body.error.details.results[0].ack).toBeUndefined();
    expect(await s.queue.stats()).toMatchObject({ backlog: 0 });
    expect((await operations()).rejections).toEqual({ [code]: 1 });
  });

  it('refuses a replay of an old batch (the same sealed bytes again) with 409, still with its ack, and stores it once', async () => {
    const envelope = await seal(chain(1)[0]!);
    expect((await relay([envelope])).body.results[0].outcome).toBe('accepted');
    clock.advance(60 * MIN);
    const replayed = await relay([envelope], relayB);
    expect(replayed.status).toBe(409);
    expect(replayed.body.error.details.results).toEqual([expect.objectContaining({ status: 409, code: 'batch_replayed', ack: expect.any(String) })]);
    expect(await s.queue.stats()).toMatchObject({ backlog: 1 });
    expect((await operations()).rejections).toEqual({ batch_replayed: 1 });
  });

  it('refuses the earlier of two reordered batches: the later one is accepted and the earlier recorded as missing', async () => {
    const [one, two, three] = chain(3);
    await relay([await seal(one!)]);
    const later = await relay([await seal(three!)]);
    expect(later.body.results[0]).toMatchObject({ status: 202, outcome: 'accepted' });
    const earlier = await relay([await seal(two!)]);
    expect(earlier.status).toBe(409);
    expect(earlier.body.error.code).toBe('batch_out_of_order');
    const ops = await operations();
    expect(ops.rejections).toEqual({ batch_out_of_order: 1 });
    expect(ops.devices[0]).toMatchObject({ highestSeq: 3, gaps: 1, missingBatches: 1, droppedByDevice: 0 });
  });

  it('refuses a batch that names a wrong predecessor (409 batch_chain_broken)', async () => {
    const [one] = chain(1);
    await relay([await seal(one!)]);
    const offChain = sealer.sign({ seq: 2, prevHash: Buffer.alloc(32, 0xab), createdAt: NOW, dropped: 0, observations: observationsOf(2) });
    const response = await relay([await seal(offChain)]);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('batch_chain_broken');
    expect((await operations()).rejections).toEqual({ batch_chain_broken: 1 });
  });

  it('records a dropped batch as a gap, and tells a device’s own overflow from a loss on the way', async () => {
    const batches = chain(5, (seq) => (seq === 5 ? 1 : 0)); // before sealing 5, the device discarded one batch itself
    await relay([await seal(batches[0]!)]);
    await relay([await seal(batches[2]!)]); // the relay dropped 2
    await relay([await seal(batches[4]!)]); // 4 never left the device (its store was full)
    const ops = await operations();
    expect(ops.devices).toEqual([expect.objectContaining({ highestSeq: 5, gaps: 2, missingBatches: 2, droppedByDevice: 1, deliveryLagSeconds: 240 })]);
    expect(ops.relays).toEqual([expect.objectContaining({ delivered: 3, rejected: 0 })]);
  });

  it('stores once a batch that arrives through two relays; the second gets the ack as a duplicate', async () => {
    const [one] = chain(1);
    const [a, b] = await Promise.all([seal(one!), seal(one!)]);
    expect(a!.equals(b!)).toBe(false); // sealed afresh for each handover
    const [viaA, viaB] = await Promise.all([relay([a!], relayA), relay([b!], relayB)]);
    const outcomes = [viaA.body.results[0], viaB.body.results[0]].map((r) => `${r.status} ${r.outcome}`).sort();
    expect(outcomes).toEqual(['200 duplicate', '202 accepted']);
    expect(viaA.body.results[0].ack).toBe(viaB.body.results[0].ack);
    expect(await s.queue.stats()).toMatchObject({ backlog: 1 });
    const ops = await operations();
    expect(ops.relays.map((r: { delivered: number; duplicates: number }) => r.delivered + r.duplicates)).toEqual([1, 1]);
    expect(ops.rejections).toEqual({});
  });

  it('keeps the batches after one that lost its races waiting with it: no false gap, and no ack that would free it on the device', async () => {
    const [one, two, three] = chain(3);
    const recordAccepted = s.relay.registry.recordAccepted.bind(s.relay.registry);
    // Batch 2 always finds the chain moved under it, as when other relays deliver the device at once.
    s.relay.registry.recordAccepted = async (record) => (record.seq === 2 ? false : recordAccepted(record));
    const first = await relay([await seal(one!), await seal(two!), await seal(three!)]);
    expect(first.body.results.map((r: { status: number; code?: string }) => `${r.status} ${r.code ?? ''}`.trim())).toEqual(['202', '409 batch_contended', '409 batch_contended']);
    expect(first.body.results.filter((r: { ack?: string }) => r.ack).map((r: { index: number }) => r.index)).toEqual([0]);
    s.relay.registry.recordAccepted = recordAccepted;
    const again = await relay([await seal(two!), await seal(three!)]);
    expect(again.body.results.map((r: { status: number }) => r.status)).toEqual([202, 202]);
    expect((await operations()).devices).toEqual([expect.objectContaining({ highestSeq: 3, gaps: 0 })]);
  });

  it('answers many batches in one request in order, each with its own outcome', async () => {
    const [one, two] = chain(2);
    const envelopes = [await seal(one!), await seal(two!)];
    const response = await relay([...envelopes, Buffer.from('junk')]);
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: { status: number }) => r.status)).toEqual([202, 202, 400]);
  });

  it('gives the relay nothing in clear: no device id, no token, no seq; every handover looks different', async () => {
    const [one] = chain(1);
    const envelopes = await Promise.all([seal(one!), seal(one!)]);
    const idBytes = Buffer.from(device.deviceId.replaceAll('-', ''), 'hex');
    for (const e of envelopes) {
      expect(e.includes(idBytes)).toBe(false);
      for (const t of tokens) expect(e.includes(Buffer.from(t, 'base64url').subarray(0, 8))).toBe(false);
      expect(e.includes(one!.subarray(0, 25))).toBe(false); // magic, version, device id, seq
    }
    expect(envelopes[0]!.equals(envelopes[1]!)).toBe(false);
    const ack = Buffer.from((await relay([envelopes[0]!])).body.results[0].ack, 'base64url');
    expect(ack.includes(idBytes)).toBe(false);
    expect(ack).toHaveLength(96);
  });

  it('refuses a request that is not a list of base64url batches (400) and unauthenticated relays (401)', async () => {
    expect((await call(makeRelayBatches, 'POST /v1/relay/batches', { batches: [] }, relayA)).status).toBe(400);
    expect((await call(makeRelayBatches, 'POST /v1/relay/batches', { batches: ['not base64!'] }, relayA)).status).toBe(400);
    expect((await call(makeRelayBatches, 'POST /v1/relay/batches', { batches: ['AAAA'] })).status).toBe(401);
  });
});
