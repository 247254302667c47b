import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BridgeConfig } from '../config/config.js';
import { Bridge } from '../core/bridge.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { createRadio } from '../radio/select-radio.js';
import { RelayCoordinator } from '../relay/relay-coordinator.js';
import { BridgeApiClient } from '../upload/api-client.js';
import { AuthSession } from '../upload/auth-session.js';
import { JsonHttp } from '../upload/http.js';
import { SignInFlow } from '../upload/sign-in-flow.js';
import { bridgeOptions } from './bridge-options.js';
import { ConsoleOutput } from './console-output.js';
import { EXIT } from './exit-codes.js';
import { openSecrets } from './open-secrets.js';
import { runUntilSignal } from './run-loop.js';
import { signInBeforeRunning, terminalIo, type OperatorIo } from './sign-in-steps.js';
import { simPeers } from './sim-peers.js';
import { StatusLine } from './status-line.js';

/** `npm run bridge`: advertise, scan, upload, and relay dedicated devices' batches. */
export async function runBridge(config: BridgeConfig, io: OperatorIo = terminalIo()): Promise<number> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const secrets = openSecrets(config.dataDir, config.keyFile, io);
  if (secrets === undefined) return EXIT.badConfiguration;
  const http = new JsonHttp({ baseUrl: config.api! });
  const auth = new AuthSession(http, { store: secrets.session });
  const signIn = await signInBeforeRunning(secrets, new SignInFlow(http, config.api!, { pending: secrets.pending, session: auth }), { ...config, api: config.api! }, io);
  if (signIn !== 'signed_in') return signIn === 'failed' ? EXIT.failed : EXIT.waitingForOperator;

  const output = new ConsoleOutput({ level: config.logLevel, format: config.logFormat });
  const logger = output.logger;
  const outbox = new SqliteOutbox(join(config.dataDir, 'outbox.db'));
  const api = new BridgeApiClient(http, auth);
  const radio = await createRadio(config, logger, simPeers(config, logger));
  const central = config.relay ? radio.gattCentral?.() : undefined;
  const relay = central ? new RelayCoordinator(central, api, { cooldownMs: config.relayCooldown }, { logger }) : undefined;
  const bridge = new Bridge(
    { radio, outbox, tokenApi: api, contactsApi: api, logger, onRelayAdvert: relay?.noticed, tokenStore: secrets.tokenStore(() => auth.deviceId) },
    bridgeOptions(config),
  );
  const status = new StatusLine();
  return runUntilSignal(bridge, {
    output,
    logger,
    statusIntervalMs: config.statusInterval,
    status: () => {
      const s = status.snapshot(bridge.stats());
      const fields = relay ? { ...s, relay: relay.stats } : s;
      return { line: StatusLine.render(s) + (relay ? ` | relayed ${relay.stats.batchesAccepted}` : ''), fields };
    },
    cleanup: () => outbox.close(),
  });
}
