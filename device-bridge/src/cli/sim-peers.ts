import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { BridgeConfig } from '../config/config.js';
import type { Logger } from '../ports/logger.js';
import type { TokenApi } from '../ports/token-api.js';
import type { SimAir } from '../radio/sim/sim-air.js';
import { SimPeer } from '../radio/sim/sim-peer.js';
import type { SimCompanions } from '../radio/sim/sim-setup.js';
import { BridgeSecrets } from '../store/bridge-secrets.js';
import { BridgeApiClient } from '../upload/api-client.js';
import { AuthSession } from '../upload/auth-session.js';
import { JsonHttp } from '../upload/http.js';
import { SignInFlow } from '../upload/sign-in-flow.js';

/**
 * A fictional number that reaches nobody: +1 NPA 555-01XX is reserved for fiction in the North
 * American Numbering Plan, under every area code.
 */
export function fictionalPhoneNumber(random: (max: number) => number = randomInt): string {
  let npa: number;
  do npa = 200 + random(800);
  while (npa % 100 === 11 || Math.floor(npa / 10) % 10 === 9);
  return `+1${npa}55501${String(random(100)).padStart(2, '0')}`;
}

/**
 * The simulated phones around a `--radio sim` bridge: each signs in as a device with a
 * fictional number, taking the code from the backend's development echo (DEV_SMS_ECHO=1), and
 * advertises its server-issued tokens. Their sessions and tokens are sealed under
 * `<data-dir>/sim-peers/N/`, so a restart signs in nobody again. Without the echo the first
 * peer's one request shows it, and no peer asks again.
 */
export function simPeers(config: BridgeConfig, logger: Logger): ((air: SimAir, center: { x: number; y: number }) => SimCompanions) | undefined {
  if (config.simPeers === 0 || config.api === undefined) return undefined;
  const api = config.api;
  return (air, center) => {
    let signIns: Promise<unknown> = Promise.resolve();
    let noEcho = false;
    const peers = Array.from({ length: config.simPeers }, (_, i) => {
      const secrets = new BridgeSecrets(join(config.dataDir, 'sim-peers', String(i)), config.keyFile);
      const http = new JsonHttp({ baseUrl: api });
      const auth = new AuthSession(http, { store: secrets.session });
      const flow = new SignInFlow(http, api, { pending: secrets.pending, session: auth });
      const client = new BridgeApiClient(http, auth);
      const signIn = async () => {
        if (noEcho) throw new Error('no simulated peer can sign in: the backend does not echo SMS codes');
        const { devCode } = await flow.requestCode(fictionalPhoneNumber());
        if (devCode === undefined) {
          noEcho = true;
          secrets.pending.clear();
          logger.warn('simulated peers need a backend with DEV_SMS_ECHO=1 to sign in; running without them', { peers: config.simPeers });
          throw new Error('the backend does not echo SMS codes');
        }
        const outcome = await flow.enterCode(devCode);
        if (outcome.kind !== 'signed_in') throw new Error(`simulated peer sign-in failed: ${outcome.kind}`);
        logger.debug('simulated peer signed in', { peer: i, deviceId: outcome.deviceId });
      };
      const tokenApi: TokenApi = {
        fetchTokens: async (count) => {
          if (auth.deviceId === undefined) {
            // One sign-in at a time, so that a backend without the echo gets one request, not N.
            const mine = signIns.then(signIn, signIn);
            signIns = mine.catch(() => {});
            await mine;
          }
          return client.fetchTokens(count);
        },
      };
      const angle = (2 * Math.PI * i) / config.simPeers;
      const distance = 1 + Math.random() * 14;
      const radio = air.addRadio({ x: center.x + Math.cos(angle) * distance, y: center.y + Math.sin(angle) * distance });
      return new SimPeer(radio, tokenApi, {
        serviceUuid: config.serviceUuid,
        store: secrets.tokenStore(() => auth.deviceId),
        onEvent: (e) => {
          if (e.type === 'fetch_failed' && !noEcho) logger.debug('simulated peer: tokens not fetched', { peer: i, reason: e.reason });
        },
      });
    });
    return {
      // In the background: the bridge starts even while the backend is away.
      start: async () => {
        for (const p of peers) void p.start().catch((error: unknown) => logger.warn('simulated peer failed to start', { error: String(error) }));
      },
      stop: async () => {
        await Promise.all(peers.map((p) => p.stop()));
      },
    };
  };
}
