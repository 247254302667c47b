import { join } from 'node:path';
import { loadTokenKeys } from '../../adapters/token-keys/load-token-keys.js';
import { loadSecretTokenKeys } from '../../adapters/token-keys/secret-token-keys.js';
import { TokenCipher } from '../../domain/tokens/token-cipher.js';
import type { TokenKeySet } from '../../domain/tokens/token-keys.js';
import { withoutTokenKeys } from '../without-keys.js';
import type { AwsContext } from './aws-context.js';
import { secretsClient } from './secrets-client.js';

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
