import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TokenKeySet } from '../../domain/tokens/token-keys.js';
import { readTokenKeyFile, tokenKeySetAt } from './load-token-keys.js';

export interface SecretTokenKeysOptions {
  secretId: string;
  /** How often the secret is read again, so a rotated key reaches every warm instance. */
  refreshMs: number;
  now: () => Date;
  onError: (error: unknown) => void;
}

export interface SecretTokenKeys {
  /** The key set at cold start. */
  keySet: TokenKeySet;
  /** Re-reads the secret every `refreshMs` and hands each key set on (until `stop`). */
  follow(onKeys: (keySet: TokenKeySet) => void): () => void;
}

/**
 * The token keys from their Secrets Manager secret (the key file's JSON, stage AWSCURRENT): read
 * once at cold start (a failure stops the start: no instance may run without keys) and cached, then
 * refreshed in the background. A refresh that fails keeps the keys the instance has. Keys whose
 * `activeFrom` passes between refreshes become the issuing key at the next refresh; rotation sets
 * that time well beyond one refresh interval, so every instance resolves a key before any issues.
 */
export async function loadSecretTokenKeys(client: SecretsManagerClient, options: SecretTokenKeysOptions): Promise<SecretTokenKeys> {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  const source = `secret ${options.secretId}`;
  const read = async () => {
    const value = await provider.get(options.secretId, { forceFetch: true });
    if (typeof value !== 'string') throw new Error(`${source} holds no string (binary secrets are not token key files)`);
    return tokenKeySetAt(readTokenKeyFile(value, source), source, options.now());
  };
  const keySet = await read();
  return {
    keySet,
    follow: (onKeys) => {
      const timer = setInterval(() => {
        read().then(onKeys, options.onError);
      }, options.refreshMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
