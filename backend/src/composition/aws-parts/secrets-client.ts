import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretString, secretsManagerClient } from '../secrets.js';
import type { AwsContext } from './aws-context.js';

/** The context's Secrets Manager client (built once). */
export function secretsClient(ctx: AwsContext): SecretsManagerClient {
  return ctx.once('secrets', () => {
    const client = secretsManagerClient(ctx.aws);
    ctx.onClose(() => client.destroy());
    return client;
  });
}

/** A secret's string value, read through the context's client. */
export function readSecret(ctx: AwsContext, secretId: string): Promise<string> {
  return readSecretString(secretsClient(ctx), secretId);
}
