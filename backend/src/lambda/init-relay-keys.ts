import { ensureRelayKeySecret } from '../adapters/relay-keys/relay-key-secret.js';
import { createLogger } from '../composition/logger.js';
import { secretsManagerClient } from '../composition/secrets.js';
import { loadBackendConfig } from '../config/backend-config.js';
import { answerCustomResource, type CustomResourceEvent } from './support/cloudformation-response.js';

const config = loadBackendConfig(process.env);
const logger = createLogger(config, config.metrics.service);

/**
 * Deploy time (a CloudFormation custom resource): writes the first relay key file into the relay
 * key secret, which the stack creates holding only a placeholder. Keys already there are kept;
 * deleting the resource leaves the secret as it is.
 */
export async function handler(event: CustomResourceEvent): Promise<void> {
  const aws = config.aws!;
  const secretId = aws.relayKeysSecretId;
  await answerCustomResource(
    event,
    `${aws.dynamodb.tablePrefix}relay-keys`,
    async (): Promise<Record<string, string>> => {
      if (event.RequestType === 'Delete') return {};
      if (!secretId) throw new Error('RELAY_KEYS_SECRET_ID is not set');
      const client = secretsManagerClient(aws);
      try {
        const outcome = await ensureRelayKeySecret(client, secretId);
        logger.info('relay keys', { outcome });
        return { outcome };
      } finally {
        client.destroy();
      }
    },
    (message, detail) => logger.error(message, { ...detail }),
  );
}
