import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDeviceDirectory } from '../../backend/src/adapters/dynamodb/dynamo-device-directory.js';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { DynamoTokenRegistry } from '../../backend/src/adapters/dynamodb/dynamo-token-registry.js';
import { DAY, MIN, NOW } from '../support/builders.js';
import { localAwsClients, uniquePrefix } from './support/aws-clients.js';

const { dynamo, doc } = localAwsClients();

/** Hands out the given numbers in order: makes number collisions happen on purpose. */
function numbersInOrder(...numbers: number[]): () => number {
  return () => {
    const next = numbers.shift();
    if (next === undefined) throw new Error('no more numbers');
    return next;
  };
}

describe('DynamoDB adapters: what the contracts cannot see', () => {
  let tables: DynamoTableNames;
  beforeEach(async () => {
    tables = dynamoTableNames(uniquePrefix());
    await createDynamoTables(dynamo, tables);
  });
  afterEach(() => deleteDynamoTables(dynamo, tables));

  const directoryWith = (numbers?: () => number) => new DynamoDeviceDirectory(doc, tables, 15 * DAY, () => NOW, numbers);

  it('retries a device number that is taken by a live device', async () => {
    const directory = directoryWith(numbersInOrder(7, 7, 8));
    expect((await directory.ensureDevice('sub-1', NOW)).number).toBe(7);
    expect((await directory.ensureDevice('sub-2', NOW)).number).toBe(8);
  });

  it('never hands out an erased number again until the erasure is purged', async () => {
    const directory = directoryWith(numbersInOrder(7, 7, 9, 7));
    const device = await directory.ensureDevice('sub-1', NOW);
    await directory.beginErasure(device, NOW);
    await directory.completeErasure(device, NOW, DAY);
    expect((await directory.ensureDevice('sub-2', NOW)).number).toBe(9);
    expect(await directory.purgeErasedBefore(new Date(NOW.getTime() + MIN))).toBe(1);
    expect((await directory.ensureDevice('sub-3', NOW)).number).toBe(7);
  });

  it('creates one device when the same subject signs in concurrently', async () => {
    const directory = directoryWith();
    const devices = await Promise.all(Array.from({ length: 5 }, () => directory.ensureDevice('sub-1', NOW)));
    expect(new Set(devices.map((d) => d.number)).size).toBe(1);
    expect(await directory.lookup('sub-1')).toEqual({ state: 'active', device: devices[0] });
  });

  it('gives erasure markers a TTL: the number until its tokens expire, the subject until its access tokens do', async () => {
    const directory = directoryWith(numbersInOrder(7));
    const device = await directory.ensureDevice('sub-1', NOW);
    await directory.beginErasure(device, NOW);
    await directory.completeErasure(device, NOW, DAY);
    const number = await doc.send(new GetCommand({ TableName: tables.deviceNumbers, Key: { number: 7 } }));
    expect(number.Item).toMatchObject({ erasedAt: NOW.getTime(), ttl: (NOW.getTime() + 15 * DAY) / 1000 });
    const subject = await doc.send(new GetCommand({ TableName: tables.devices, Key: { subject: 'sub-1' } }));
    expect(subject.Item).toEqual({ subject: 'sub-1', erasedUntil: NOW.getTime() + DAY, ttl: (NOW.getTime() + DAY) / 1000 });
  });

  it('gives token issuances a TTL at the end of their validity', async () => {
    const registry = new DynamoTokenRegistry(doc, tables.tokenIssuances);
    const validUntil = new Date(NOW.getTime() + 180 * MIN);
    await registry.recordIssued([{ device: 1, windowStart: NOW, validUntil, keyId: 1 }]);
    const { Item } = await doc.send(new GetCommand({ TableName: tables.tokenIssuances, Key: { device: 1, windowStart: NOW.getTime() } }));
    expect(Item).toMatchObject({ validUntil: validUntil.getTime(), ttl: validUntil.getTime() / 1000 });
  });
});
