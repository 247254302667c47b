import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** A string secret's current value (Powertools Parameters: one GetSecretValue, cached per instance). */
export async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  const value = await new SecretsProvider({ awsSdkV3Client: client }).get(secretId);
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`secret ${secretId} holds no string value`);
  return value.trim();
}
