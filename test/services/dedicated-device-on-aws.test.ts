import { Client } from '@opensearch-project/opensearch';
import { dynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { scanAll } from '../../backend/src/adapters/dynamodb/dynamo-operations.js';
import { describeDedicatedDeviceRelay } from '../device-bridge/e2e/dedicated-device.scenario.js';
import { startLocalServer } from '../support/local-server.js';
import { localAwsClients, localServices } from './support/aws-clients.js';
import { awsServerEnvProvisioner } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();
const { doc } = localAwsClients();

/**
 * The relay scenario of test/device-bridge/e2e against `npm start`'s program with BACKEND=aws:
 * dedicated devices, relay receipts and owner alerts in DynamoDB Local, contacts in OpenSearch,
 * identity in cognito-local, the queue in ElasticMQ; real bridges and the device model on the
 * virtual air.
 */
describeDedicatedDeviceRelay('a dedicated device relayed by a bridge, on the AWS adapters (local engines)', async (env) => {
  const backend = await provisioner.provision();
  const server = await startLocalServer({ env: { ...backend.env, ...env }, startTimeoutMs: 60_000 });
  const prefix = backend.env.DYNAMODB_TABLE_PREFIX!;
  return {
    url: server.url,
    logs: server.logs,
    storedText: async () => {
      const tables = Object.values(dynamoTableNames(prefix));
      const items = await Promise.all(tables.map((TableName) => scanAll(doc, { TableName })));
      const search = new Client({ node: localServices().opensearch!.node });
      try {
        const docs = await search.search({ index: `${backend.env.SEARCH_INDEX_PREFIX ?? prefix}*`, size: 1000 });
        return [...items.map((i) => JSON.stringify(i)), JSON.stringify(docs.body.hits.hits)].join('\n');
      } finally {
        await search.close();
      }
    },
    stop: async () => {
      await server.stop();
      await backend.remove();
    },
  };
});
