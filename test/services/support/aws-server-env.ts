import { CognitoIdentityProviderClient, DeleteUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Client } from '@opensearch-project/opensearch';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames } from '../../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../../../backend/src/adapters/search/contact-indices.js';
import { deleteContactIndices, ensureContactIndices } from '../../../backend/src/adapters/search/opensearch-indices.js';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { contactQueueNames, createContactQueues, deleteContactQueues } from '../../../backend/src/adapters/sqs/sqs-queues.js';
import { newRelayKeyFile } from '../../../backend/src/adapters/relay-keys/load-relay-keys.js';
import { newTokenKeyFile } from '../../../backend/src/adapters/token-keys/load-token-keys.js';
import { awsBackendEnv } from '../../../infra/local-services/aws-backend-env.js';
import { provisionUserPool } from '../../../infra/local-services/services/cognito-local.js';
import { localAwsClients, localServices, uniquePrefix } from './aws-clients.js';

export interface AwsServerEnv {
  /** The BACKEND=aws environment of a server process using these resources. */
  env: Record<string, string>;
  /** cognito-local's keys for this pool. */
  jwksUri: string;
  queueUrl: string;
  /** Deletes the tables, queues, indices and user pool. */
  remove(): Promise<void>;
}

/**
 * Tables, queues, a user pool (with the officials group) and an index prefix of their own, on the
 * engines the global setup started, as infra's stateful stack will provision them in AWS; and the
 * environment that points `npm start`'s program at them. Call at a test file's top level (it
 * registers the SDK clients' cleanup), then `provision()` in a hook.
 */
export function awsServerEnvProvisioner(): { provision(options?: { visibilityTimeoutSeconds?: number }): Promise<AwsServerEnv> } {
  const { dynamo, sqs } = localAwsClients();
  const { region, credentials, dynamodb, sqs: sqsEndpoint, opensearch, cognito } = localServices();
  if (!dynamodb || !sqsEndpoint || !opensearch || !cognito) throw new Error('the global setup did not start all four engines');
  return {
    provision: async ({ visibilityTimeoutSeconds = 30 } = {}) => {
      const prefix = uniquePrefix();
      const tables = dynamoTableNames(prefix);
      const identityProvider = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region, credentials: { ...credentials } });
      const search = new Client({ node: opensearch.node });
      const [urls, pool] = await Promise.all([
        createContactQueues(sqs, contactQueueNames(prefix), { visibilityTimeoutSeconds, maxReceiveCount: 6 }),
        provisionUserPool(identityProvider, prefix),
        createDynamoTables(dynamo, tables),
        // The deployment's setup step, before any server starts (servers no longer install at start-up).
        ensureContactIndices(search, contactIndexNames(prefix), LOCAL_INDEX_SETTINGS, loadBackendConfig({}).analytics.retention).finally(() => search.close()),
      ]);
      const issuer = `${cognito.endpoint}/${pool.userPoolId}`;
      const [key] = newTokenKeyFile().keys;
      return {
        env: {
          ...awsBackendEnv({
            region,
            credentials,
            prefix,
            dynamodbEndpoint: dynamodb.endpoint,
            sqsEndpoint: sqsEndpoint.endpoint,
            queueUrl: urls.queueUrl,
            deadLetterQueueUrl: urls.deadLetterQueueUrl,
            tracingDeadLetterQueueUrl: urls.tracingDeadLetterQueueUrl,
            opensearchNode: opensearch.node,
            cognitoEndpoint: cognito.endpoint,
            userPoolId: pool.userPoolId,
            clientId: pool.clientId,
          }),
          SQS_WAIT_TIME_SECONDS: '1',
          TOKEN_KEYS: `${key!.id}:${key!.secret}`,
          RELAY_KEYS: JSON.stringify(newRelayKeyFile()),
        },
        jwksUri: `${issuer}/.well-known/jwks.json`,
        queueUrl: urls.queueUrl,
        remove: async () => {
          const search = new Client({ node: opensearch.node });
          try {
            await Promise.all([
              deleteContactQueues(sqs, urls),
              deleteDynamoTables(dynamo, tables),
              deleteContactIndices(search, contactIndexNames(prefix)),
              identityProvider.send(new DeleteUserPoolCommand({ UserPoolId: pool.userPoolId })),
            ]);
          } finally {
            identityProvider.destroy();
            await search.close();
          }
        },
      };
    },
  };
}
