import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BridgeConfig } from '../config/config.js';
import { BatchSealer } from '../dedicated/batch-sealer.js';
import { DedicatedDevice } from '../dedicated/dedicated-device.js';
import { DEVICE_STORE_FILE, loadDeviceCredentials, PROVISIONING_FILE } from '../dedicated/device-credentials.js';
import { createRadio } from '../radio/select-radio.js';
import { SqliteRelayBatchStore } from '../store/sqlite-relay-batch-store.js';
import { bridgeOptions } from './bridge-options.js';
import { ConsoleOutput } from './console-output.js';
import { EXIT } from './exit-codes.js';
import { runUntilSignal } from './run-loop.js';
import { simPeers } from './sim-peers.js';
import { StatusLine } from './status-line.js';

/** `npm run bridge -- --mode dedicated`: the BLE-only device model, offline, provisioned beforehand. */
export async function runDedicated(config: BridgeConfig): Promise<number> {
  const output = new ConsoleOutput({ level: config.logLevel, format: config.logFormat });
  const logger = output.logger;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let credentials;
  try {
    credentials = loadDeviceCredentials(join(config.dataDir, PROVISIONING_FILE));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT.badConfiguration;
  }
  const sealer = new BatchSealer(credentials);
  const store = new SqliteRelayBatchStore(join(config.dataDir, DEVICE_STORE_FILE), {
    sealer,
    maxBatches: config.storeMaxBatches,
    onDropped: (b) => logger.warn('store full: dropped the oldest batch', b),
  });
  const radio = await createRadio(config, logger, simPeers(config, logger));
  const device = new DedicatedDevice({ radio, store, sealer, credentials, logger }, bridgeOptions(config));
  const status = new StatusLine();
  return runUntilSignal(device, {
    output,
    logger,
    statusIntervalMs: config.statusInterval,
    status: () => {
      const stats = device.stats();
      const s = status.snapshot(stats);
      const fields = { ...s, held: stats.held, heldBytes: stats.heldBytes, dropped: stats.dropped, relay: stats.relay, bundleRemainingHours: Math.floor(stats.bundleRemainingMs / 3_600_000) };
      const line = `${StatusLine.render(s).split(' | last upload')[0]} | held ${stats.held} batches (${stats.heldBytes} B) | dropped ${stats.dropped.batches} | acked ${stats.relay.freed}`;
      return { line, fields };
    },
    cleanup: () => store.close(),
  });
}
