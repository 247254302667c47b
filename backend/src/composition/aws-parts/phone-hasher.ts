import { PhoneHasher } from '../../adapters/phone-hash/phone-hash.js';
import { phoneHashKey } from '../../config/aws-config.js';
import { withoutPhoneHashKey } from '../without-keys.js';
import type { AwsContext } from './aws-context.js';
import { readSecret } from './secrets-client.js';

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
