import { join } from 'node:path';
import { PhoneHasher } from '../../adapters/phone-hash/phone-hash.js';
import { loadRelayKeys } from '../../adapters/relay-keys/load-relay-keys.js';
import { loadTokenKeys } from '../../adapters/token-keys/load-token-keys.js';
import { loadSecretTokenKeys } from '../../adapters/token-keys/secret-token-keys.js';
import { phoneHashKey } from '../../config/aws-config.js';
import type { RelayKeys } from '../../domain/relay/relay-keys.js';
import { TokenCipher } from '../../domain/tokens/token-cipher.js';
import type { TokenKeySet } from '../../domain/tokens/token-keys.js';
import { withoutPhoneHashKey, withoutRelayKeys, withoutTokenKeys } from '../without-keys.js';
import type { AwsContext } from './aws-context.js';
import { readSecret, secretsClient } from './secrets-client.js';

/**
 * The token cipher on the configured keys: a Secrets Manager secret (read now, then followed, so a
 * rotation reaches this instance), TOKEN_KEYS or a key file; TOKEN_KEYS=none for functions that
 * never issue or resolve tokens (they get no read access to the secret either).
 */
export function tokenCipher(ctx: AwsContext): Promise<TokenCipher> {
  return ctx.once('cipher', async () => {
    const { config, clock, logger } = ctx;
    const { secretId, refreshMs } = ctx.aws.tokenKeys;
    if (secretId) {
      const keys = await loadSecretTokenKeys(secretsClient(ctx), {
        secretId,
        refreshMs,
        now: clock,
        onError: (error) => logger.error('token keys not refreshed; keeping the current ones', { error: error as Error }),
      });
      const cipher = new TokenCipher(keys.keySet);
      ctx.onClose(keys.follow((keySet: TokenKeySet) => cipher.replaceKeys(keySet)));
      return cipher;
    }
    if (config.env.TOKEN_KEYS?.trim().toLowerCase() === 'none') return withoutTokenKeys();
    return new TokenCipher(
      loadTokenKeys({ keysEnv: config.env.TOKEN_KEYS, keysFile: config.env.TOKEN_KEYS_FILE, defaultFile: join(config.dataDir, 'token-keys.json'), now: clock() }),
    );
  });
}

/** The relay keys: a Secrets Manager secret (read at cold start), RELAY_KEYS or a key file; RELAY_KEYS=none for functions that never relay or alert owners. */
export function relayKeys(ctx: AwsContext): Promise<RelayKeys> {
  return ctx.once('relayKeys', async () => {
    const { config } = ctx;
    const secretId = ctx.aws.relayKeysSecretId;
    if (!secretId && config.env.RELAY_KEYS?.trim().toLowerCase() === 'none') return withoutRelayKeys();
    return loadRelayKeys({
      keysEnv: secretId ? await readSecret(ctx, secretId) : config.env.RELAY_KEYS,
      keysFile: config.env.RELAY_KEYS_FILE,
      defaultFile: join(config.dataDir, 'relay-keys.json'),
    });
  });
}

/** The phone-hash key: given, or a Secrets Manager secret's value (base64, read at cold start); none for functions that never see a number. */
export function phoneHasher(ctx: AwsContext): Promise<PhoneHasher> {
  return ctx.once('phoneHasher', async () => {
    const source = ctx.aws.phoneHash;
    if (source.kind === 'none') return withoutPhoneHashKey();
    if (source.kind === 'key') return new PhoneHasher(source.key);
    const key = phoneHashKey(await readSecret(ctx, source.secretId));
    if (!key) throw new Error(`secret ${source.secretId} is not a phone-hash key: base64 of at least 32 bytes`);
    return new PhoneHasher(key);
  });
}
