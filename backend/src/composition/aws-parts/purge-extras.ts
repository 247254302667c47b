import { purgeRelayData } from '../relay-services.js';
import type { AwsContext } from './aws-context.js';
import { cognitoIdentity } from './identity.js';
import { relay } from './relay.js';
import { audit, rateLimits, refreshFamilies } from './sign-in.js';

/** Retention housekeeping beyond the ports: expired sign-in challenges, the sign-in stores, the relay stores. */
export async function purgeExtras(ctx: AwsContext): Promise<() => Promise<Record<string, number>>> {
  const identity = await cognitoIdentity(ctx);
  const relayServices = await relay(ctx);
  return async () => {
    const now = ctx.clock();
    return {
      signInChallenges: await identity.purgeExpiredChallenges(),
      rateCounters: await rateLimits(ctx).purgeExpired(now),
      refreshFamilies: await refreshFamilies(ctx).purgeExpired(now),
      auditEntries: await audit(ctx).purgeOlderThan(new Date(now.getTime() - ctx.config.signIn.auditRetentionMs)),
      ...(await purgeRelayData(relayServices, ctx.clock())),
    };
  };
}
