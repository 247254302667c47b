import { GetSecretValueCommand, PutSecretValueCommand, ResourceExistsException, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { newRelayKeyFile, parseRelayKeyFile, type RelayKeyFile } from './load-relay-keys.js';

/** The version id the first key file is written under: a second writer (a retry, a concurrent run) cannot put other keys there. */
export const FIRST_RELAY_KEYS_VERSION = 'proxitrace-relay-keys-v1-00000000000000';

/**
 * Fills the relay key secret once: the deployment creates it holding a placeholder (keys generated
 * in the template would be readable by anyone with the template), and this writes a fresh key file
 * (docs/RELAY.md) as its first real version. A secret that already holds a key file is left alone,
 * so a redeployment never replaces the keys devices were provisioned with.
 */
export async function ensureRelayKeySecret(client: SecretsManagerClient, secretId: string, fresh: () => RelayKeyFile = newRelayKeyFile): Promise<'created' | 'kept'> {
  if (await holdsKeyFile(client, secretId)) return 'kept';
  try {
    await client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: FIRST_RELAY_KEYS_VERSION, SecretString: JSON.stringify(fresh()) }));
  } catch (error) {
    // Another run wrote the first version meanwhile (with its own keys): keep those.
    if (!(error instanceof ResourceExistsException)) throw error;
  }
  if (!(await holdsKeyFile(client, secretId))) throw new Error(`secret ${secretId} still holds no relay key file`);
  return 'created';
}

async function holdsKeyFile(client: SecretsManagerClient, secretId: string): Promise<boolean> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) return false;
  try {
    await parseRelayKeyFile(SecretString, secretId);
    return true;
  } catch {
    return false;
  }
}
