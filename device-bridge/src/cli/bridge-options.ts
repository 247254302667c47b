import type { BridgeConfig } from '../config/config.js';
import type { BridgeOptions } from '../core/bridge.js';

/** The core's options from the CLI configuration: the same for a bridge and a dedicated device. */
export function bridgeOptions(config: BridgeConfig): Partial<BridgeOptions> {
  return {
    serviceUuid: config.serviceUuid,
    txPower: config.txPower,
    flushMaxAgeMs: config.flushMaxAge,
    cache: { idleMs: config.observationIdle, maxDurationMs: config.observationMax, maxEntries: config.cacheMax },
    prefetch: config.prefetch,
    rotationJitterMs: config.rotationJitter,
    scanWatchdogMs: config.scanWatchdog,
    sweepIntervalMs: config.sweepInterval,
    checkpointIntervalMs: config.checkpointInterval,
  };
}
