import { CognitoIdentityProviderClient, DeleteUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Client } from '@opensearch-project/opensearch';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../../backend/src/adapters/search/contact-indices.js';
import { deleteContactIndices, ensureContactIndices } from '../../backend/src/adapters/search/opensearch-indices.js';
import { contactQueueNames, createContactQueues, deleteContactQueues } from '../../backend/src/adapters/sqs/sqs-queues.js';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import type { LocalAwsResources } from './aws-backend-env.js';
import { provisionUserPool } from './services/cognito-local.js';
import type { LocalEndpoints } from './start-local-services.js';

export interface ProvisionedResources {
  resources: LocalAwsResources;
  /** Deletes the tables, queues, indices and user pool. */
  remove(): Promise<void>;
}

/**
 * One backend's own tables, queues (with their dead-letter queues), contact indices and user pool
 * (with the officials group), under `prefix`, on engines already running: as the stateful stack
 * provisions them in AWS, so that backends sharing the engines share no data.
 */
export async function provisionLocalResources(
  endpoints: LocalEndpoints,
  prefix: string,
  queue: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
): Promise<ProvisionedResources> {
  const { region, credentials, dynamodb, sqs: sqsEndpoint, opensearch, cognito } = endpoints;
  if (!dynamodb || !sqsEndpoint || !opensearch || !cognito) throw new Error('a backend on the local engines needs all four services');
  const clients = () => {
    const options = { region, credentials: { ...credentials } };
    const sdk = {
      dynamo: new DynamoDBClient({ ...options, endpoint: dynamodb.endpoint }),
      sqs: new SQSClient({ ...options, endpoint: sqsEndpoint.endpoint }),
      cognito: new CognitoIdentityProviderClient({ ...options, endpoint: cognito.endpoint }),
      search: new Client({ node: opensearch.node }),
    };
    const close = async () => {
      sdk.dynamo.destroy();
      sdk.sqs.destroy();
      sdk.cognito.destroy();
      await sdk.search.close();
    };
    return { ...sdk, close };
  };
  const tables = dynamoTableNames(prefix);
  const indices = contactIndexNames(prefix);
  const c = clients();
  const [urls, pool] = await Promise.all([
    createContactQueues(c.sqs, contactQueueNames(prefix), queue),
    provisionUserPool(c.cognito, prefix),
    createDynamoTables(c.dynamo, tables),
    // The deployment's setup step, before any server starts (servers do not install at start-up).
    ensureContactIndices(c.search, indices, LOCAL_INDEX_SETTINGS, loadBackendConfig({}).analytics.retention),
  ]).finally(() => c.close());
  return {
    resources: {
      region,
      credentials,
      prefix,
      dynamodbEndpoint: dynamodb.endpoint,
      sqsEndpoint: sqsEndpoint.endpoint,
      ...urls,
      opensearchNode: opensearch.node,
      cognitoEndpoint: cognito.endpoint,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
    },
    remove: async () => {
      const r = clients();
      await Promise.all([
        deleteContactQueues(r.sqs, urls),
        deleteDynamoTables(r.dynamo, tables),
        deleteContactIndices(r.search, indices),
        r.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool.userPoolId })),
      ]).finally(() => r.close());
    },
  };
}
