import type { BridgeConfig } from '../config/config.js';
import type { Logger } from '../ports/logger.js';
import type { Radio } from '../ports/radio.js';
import { createSimNeighbourhood } from './sim/sim-neighbourhood.js';

/** The one place that picks the radio adapter from config. hci is imported lazily (native modules). */
export async function createRadio(config: BridgeConfig, logger: Logger): Promise<Radio> {
  if (config.radio === 'sim') return createSimNeighbourhood({ peers: config.simPeers, serviceUuid: config.serviceUuid }).radio;
  const { HciRadio } = await import('./hci/hci-radio.js');
  return HciRadio.create({
    scanner: { uart: config.hciScanUart, deviceId: config.hciScanDevice },
    advertiser: { uart: config.hciAdvUart, deviceId: config.hciAdvDevice },
    advertisingIntervalMs: config.hciAdvInterval,
    logger,
  });
}
