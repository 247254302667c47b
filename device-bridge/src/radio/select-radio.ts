import type { BridgeConfig } from '../config/config.js';
import type { Logger } from '../ports/logger.js';
import type { Radio } from '../ports/radio.js';
import type { SimAir } from './sim/sim-air.js';
import { createSimRadio, type SimCompanions } from './sim/sim-setup.js';

/**
 * The one place that picks the radio adapter from config. hci is imported lazily (native modules).
 * `simCompanions` builds what shares the simulated air with this radio (the simulated peers).
 */
export async function createRadio(config: BridgeConfig, logger: Logger, simCompanions?: (air: SimAir, center: { x: number; y: number }) => SimCompanions): Promise<Radio> {
  if (config.radio === 'sim') return createSimRadio({ air: config.simAir, position: config.simPosition, logger, companions: simCompanions }).radio;
  const { HciRadio } = await import('./hci/hci-radio.js');
  return HciRadio.create({
    scanner: { uart: config.hciScanUart, deviceId: config.hciScanDevice },
    advertiser: { uart: config.hciAdvUart, deviceId: config.hciAdvDevice },
    advertisingIntervalMs: config.hciAdvInterval,
    logger,
  });
}
