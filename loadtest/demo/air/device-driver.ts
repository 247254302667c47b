import type { Bridge, BridgeOptions } from '../../../device-bridge/src/core/bridge.js';

/**
 * The bridge core's own timers run on the wall clock; in the town, time is the simulator's. So
 * the core's periodic work is driven from the town's step instead (each simulated minute): token
 * rotation at the window boundary, the idle sweep and flush-age check, due retries. The core's
 * timers are set out of reach, and its scan watchdog (for a real radio that stalls) off: the
 * simulated air never stalls, and a person alone at home hears no one for hours.
 */
export const TOWN_BRIDGE_OPTIONS: Partial<BridgeOptions> = {
  sweepIntervalMs: 2 ** 31 - 1,
  checkpointIntervalMs: 2 ** 31 - 1,
  scanWatchdogMs: Number.MAX_SAFE_INTEGER,
  // stop() waits for the last uploads however loaded the machine is.
  shutdownUploadMs: 600_000,
};

/** How often (simulated minutes) a device looks for uploads due again after a failure. */
const RETRY_CHECK_MINUTES = 5;

/** One simulated minute of a device's core: rotate when the window ended, sweep, retry what is due. */
export async function stepBridge(bridge: Bridge, now: number): Promise<void> {
  const current = bridge.tokens.current;
  if (current === undefined || now >= current.validUntil) await bridge.tokens.rotateIfNeeded();
  bridge.sweep();
  if (Math.floor(now / 60_000) % RETRY_CHECK_MINUTES === 0) bridge.uploader?.wake();
}
