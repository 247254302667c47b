import { join } from 'node:path';
import { loadRelayKeys } from '../../adapters/relay-keys/load-relay-keys.js';
import type { RelayKeys } from '../../domain/relay/relay-keys.js';
import { withoutRelayKeys } from '../without-keys.js';
import type { AwsContext } from './aws-context.js';
import { readSecret } from './secrets-client.js';

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
