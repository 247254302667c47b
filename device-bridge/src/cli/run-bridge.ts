import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BridgeConfig } from '../config/config.js';
import { Bridge } from '../core/bridge.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { createRadio } from '../radio/select-radio.js';
import { RelayCoordinator } from '../relay/relay-coordinator.js';
import { BridgeApiClient } from '../upload/api-client.js';
import { AuthSession, FileCredentialStore } from '../upload/auth-session.js';
import { JsonHttp } from '../upload/http.js';
import { bridgeOptions } from './bridge-options.js';
import { jsonLogger } from './logger.js';
import { runUntilSignal } from './run-loop.js';
import { smsCodeProvider } from './sms-code.js';
import { StatusLine } from './status-line.js';

/** `npm run bridge`: advertise, scan, upload, and relay dedicated devices' batches. */
export async function runBridge(config: BridgeConfig): Promise<number> {
  const logger = jsonLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const credentials = new FileCredentialStore(join(config.dataDir, 'credentials.json'));
  if (credentials.load() === undefined && config.phoneNumber === undefined) {
    process.stderr.write('Invalid configuration:\n  - --phone / BRIDGE_PHONE_NUMBER: is required for the first sign-in (no stored credentials)\n');
    return 2;
  }
  const outbox = new SqliteOutbox(join(config.dataDir, 'outbox.db'));
  const http = new JsonHttp({ baseUrl: config.api! });
  const auth = new AuthSession(http, { phoneNumber: config.phoneNumber ?? '', store: credentials, codeProvider: smsCodeProvider(config.smsCode, logger) });
  const api = new BridgeApiClient(http, auth);
  const radio = await createRadio(config, logger);
  const central = config.relay ? radio.gattCentral?.() : undefined;
  const relay = central ? new RelayCoordinator(central, api, { cooldownMs: config.relayCooldown }, { logger }) : undefined;
  const bridge = new Bridge({ radio, outbox, tokenApi: api, contactsApi: api, logger, onRelayAdvert: relay?.noticed }, bridgeOptions(config));
  const status = new StatusLine();
  return runUntilSignal(bridge, {
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
