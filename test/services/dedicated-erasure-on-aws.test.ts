import { afterAll, beforeAll, describe, it } from 'vitest';
import { eraseRelayedDedicatedDevice } from '../support/dedicated-erasure.scenario.js';
import { testClock } from '../support/embedded-services.js';
import { awsBackend, type AwsBackend } from './support/adapter-backend.js';
import { localAwsClients } from './support/aws-clients.js';
import { everyRecord } from './support/every-record.js';

const clients = localAwsClients();

describe("a dedicated device's erasure on the AWS adapters (DynamoDB Local, ElasticMQ, OpenSearch)", () => {
  const clock = testClock(new Date());
  let backend: AwsBackend;
  beforeAll(async () => {
    backend = await awsBackend({ clients, clock, visibilityTimeoutSeconds: 1 });
  });
  afterAll(() => backend.close());

  it('leaves no item, document or message naming its id, number, tokens or owner but the erasure markers and the owner’s rate window', async () => {
    await eraseRelayedDedicatedDevice({
      backend,
      clock,
      records: () => everyRecord(clients, backend),
      // The number's SMS rate window (a keyed hash of the owner's number) holds until it closes: it protects the person, across devices.
      markers: [backend.tables.deviceNumbers, backend.tables.devices, backend.tables.ownerAlerts],
    });
  }, 180_000);
});
