import { describe, expect, it } from 'vitest';
import { decodeSignedBatch, encodeBatchForSigning, BatchFormatError, ZERO_HASH } from '../../../backend/src/domain/relay/relay-batch.js';
import { placeInChain, type ChainHead, type PastSeq } from '../../../backend/src/domain/relay/relay-chain.js';
import { openSealedBatch, sealBatch, newX25519KeyPair, EnvelopeError } from '../../../backend/src/domain/relay/relay-seal.js';

const h = (n: number) => Buffer.alloc(32, n);
const head: ChainHead = { highestSeq: 4, headHash: h(4), droppedReported: 1 };
const batch = (seq: number, prev: number, dropped = 1, hash = seq) => ({ seq, prevHash: h(prev), hash: h(hash), dropped });

describe('placeInChain', () => {
  it.each<[string, ReturnType<typeof batch>, PastSeq, ReturnType<typeof placeInChain>]>([
    ['the next batch naming the head', batch(5, 4), { kind: 'unknown' }, { kind: 'accept' }],
    ['the next batch naming another predecessor', batch(5, 9), { kind: 'unknown' }, { kind: 'reject', code: 'batch_chain_broken', message: expect.any(String) }],
    ['a later batch: the missing ones are a gap', batch(8, 7, 2), { kind: 'unknown' }, { kind: 'accept', gap: { fromSeq: 5, toSeq: 7, droppedByDevice: 1 } }],
    ['the same batch again', batch(3, 2), { kind: 'accepted', hash: h(3) }, { kind: 'duplicate' }],
    ['another batch under an accepted seq', batch(3, 2, 1, 33), { kind: 'accepted', hash: h(3) }, { kind: 'reject', code: 'batch_conflict', message: expect.any(String) }],
    ['a batch recorded as missing, arriving late', batch(3, 2), { kind: 'gap' }, { kind: 'reject', code: 'batch_out_of_order', message: expect.any(String) }],
    ['an old batch beyond what is remembered', batch(1, 0), { kind: 'unknown' }, { kind: 'reject', code: 'batch_replayed', message: expect.any(String) }],
  ])('%s', (_name, b, past, expected) => {
    expect(placeInChain(head, b, past)).toEqual(expected);
  });
});

describe('relay batch encoding and envelope', () => {
  const fields = {
    deviceId: '6b1f6a1e-4f7e-4a55-9a0c-0a5c1b2d3e4f',
    seq: 7,
    prevHash: ZERO_HASH,
    createdAt: new Date('2026-11-23T12:00:00.123Z'),
    dropped: 3,
    observations: [{ token: Buffer.alloc(16, 1), firstSeen: new Date('2026-11-23T11:00:00Z'), lastSeen: new Date('2026-11-23T11:20:00Z'), rssi: -61 }, { token: Buffer.alloc(16, 2), firstSeen: new Date('2026-11-23T11:00:00Z'), lastSeen: new Date('2026-11-23T11:00:00Z') }],
  };

  it('round-trips every field, in exactly 68 + 25 n + 64 bytes', () => {
    const signed = Buffer.concat([encodeBatchForSigning(fields), Buffer.alloc(64, 5)]);
    expect(signed).toHaveLength(68 + 50 + 64);
    expect(decodeSignedBatch(signed)).toMatchObject({ ...fields, observations: [fields.observations[0], { ...fields.observations[1], rssi: undefined }] });
  });

  it.each([
    ['too short', (b: Buffer) => b.subarray(0, 100)],
    ['a length that does not match the count', (b: Buffer) => Buffer.concat([b, Buffer.alloc(1)])],
    ['another magic', (b: Buffer) => Buffer.concat([Buffer.from('XXXX'), b.subarray(4)])],
  ])('refuses %s', (_name, mangle) => {
    expect(() => decodeSignedBatch(mangle(Buffer.concat([encodeBatchForSigning(fields), Buffer.alloc(64)])))).toThrow(BatchFormatError);
  });

  it('opens only under the key it was sealed to, and not when its header names another key', async () => {
    const ours = await newX25519KeyPair();
    const theirs = await newX25519KeyPair();
    const envelope = await sealBatch(Buffer.from('signed batch'), ours.publicKey, 3);
    expect((await openSealedBatch(envelope, new Map([[3, ours.privateKey]]))).toString()).toBe('signed batch');
    await expect(openSealedBatch(envelope, new Map([[3, theirs.privateKey]]))).rejects.toMatchObject({ reason: 'undecryptable' });
    await expect(openSealedBatch(envelope, new Map([[4, ours.privateKey]]))).rejects.toBeInstanceOf(EnvelopeError);
    const relabelled = Buffer.from(envelope);
    relabelled[1] = 4;
    await expect(openSealedBatch(relabelled, new Map([[4, ours.privateKey]]))).rejects.toMatchObject({ reason: 'undecryptable' });
  });
});
