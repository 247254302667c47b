import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsConfig } from '../config/aws-config.js';
import { awsClientConfig, observed } from './aws-clients.js';

/** A string secret's current value (Powertools Parameters: one GetSecretValue, cached per instance). */
export async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  const value = await new SecretsProvider({ awsSdkV3Client: client }).get(secretId);
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`secret ${secretId} holds no string value`);
  return value.trim();
}

/** The Secrets Manager client of a process (its endpoint override and keys from the configuration). */
export function secretsManagerClient(aws: Pick<AwsConfig, 'region' | 'credentials' | 'secretsManager'>): SecretsManagerClient {
  return observed(new SecretsManagerClient(awsClientConfig(aws, aws.secretsManager.endpoint)));
}
