import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDeviceDirectory } from '../../backend/src/adapters/dynamodb/dynamo-device-directory.js';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { DynamoTokenRegistry } from '../../backend/src/adapters/dynamodb/dynamo-token-registry.js';
import { MIN, NOW } from '../support/builders.js';
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

  it('retries a device number that is taken by a live device', async () => {
    const directory = new DynamoDeviceDirectory(doc, tables, numbersInOrder(7, 7, 8));
    expect((await directory.ensureDevice('sub-1', NOW)).number).toBe(7);
    expect((await directory.ensureDevice('sub-2', NOW)).number).toBe(8);
  });

  it('never hands out an erased number again until the erasure is purged', async () => {
    const directory = new DynamoDeviceDirectory(doc, tables, numbersInOrder(7, 7, 9, 7));
    await directory.eraseDevice(await directory.ensureDevice('sub-1', NOW), NOW);
    expect((await directory.ensureDevice('sub-2', NOW)).number).toBe(9);
    expect(await directory.purgeErasedBefore(new Date(NOW.getTime() + MIN))).toBe(1);
    expect((await directory.ensureDevice('sub-3', NOW)).number).toBe(7);
  });

  it('creates one device when the same subject signs in concurrently', async () => {
    const directory = new DynamoDeviceDirectory(doc, tables);
    const devices = await Promise.all(Array.from({ length: 5 }, () => directory.ensureDevice('sub-1', NOW)));
    expect(new Set(devices.map((d) => d.number)).size).toBe(1);
    expect(await directory.findBySubject('sub-1')).toEqual(devices[0]);
  });

  it('keeps an infection case without symptom onset', async () => {
    const directory = new DynamoDeviceDirectory(doc, tables);
    const openCase = { id: 'c1', device: 1, reportedAt: NOW, infectiousFrom: NOW, infectiousUntil: new Date(NOW.getTime() + MIN) };
    await directory.saveCase(openCase);
    expect(await directory.listActiveCases(NOW)).toEqual([{ ...openCase, symptomOnset: undefined }]);
    await expect(directory.saveCase(openCase)).rejects.toThrow(/already exists/);
  });

  it('gives token issuances a TTL at the end of their validity', async () => {
    const registry = new DynamoTokenRegistry(doc, tables.tokenIssuances);
    const validUntil = new Date(NOW.getTime() + 180 * MIN);
    await registry.recordIssued([{ device: 1, windowStart: NOW, validUntil, keyId: 1 }]);
    const { Item } = await doc.send(new GetCommand({ TableName: tables.tokenIssuances, Key: { device: 1, windowStart: NOW.getTime() } }));
    expect(Item).toMatchObject({ validUntil: validUntil.getTime(), ttl: validUntil.getTime() / 1000 });
  });
});
