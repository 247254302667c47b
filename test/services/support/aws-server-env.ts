import { newRelayKeyFile } from '../../../backend/src/adapters/relay-keys/load-relay-keys.js';
import { newTokenKeyFile } from '../../../backend/src/adapters/token-keys/load-token-keys.js';
import { awsBackendEnv } from '../../../infra/local-services/aws-backend-env.js';
import { provisionLocalResources } from '../../../infra/local-services/provision-resources.js';
import { localServices, uniquePrefix } from './aws-clients.js';

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
 * environment that points `npm start`'s program at them. `provision()` in a hook.
 */
export function awsServerEnvProvisioner(): { provision(options?: { visibilityTimeoutSeconds?: number }): Promise<AwsServerEnv> } {
  const endpoints = localServices();
  return {
    provision: async ({ visibilityTimeoutSeconds = 30 } = {}) => {
      const { resources, remove } = await provisionLocalResources(endpoints, uniquePrefix(), { visibilityTimeoutSeconds, maxReceiveCount: 6 });
      const issuer = `${resources.cognitoEndpoint}/${resources.userPoolId}`;
      const [key] = newTokenKeyFile().keys;
      return {
        env: {
          ...awsBackendEnv(resources),
          SQS_WAIT_TIME_SECONDS: '1',
          TOKEN_KEYS: `${key!.id}:${key!.secret}`,
          RELAY_KEYS: JSON.stringify(newRelayKeyFile()),
        },
        jwksUri: `${issuer}/.well-known/jwks.json`,
        queueUrl: resources.queueUrl,
        remove,
      };
    },
  };
}
