import type { Logger } from '../../ports/logger.js';
import { SimAir } from './sim-air.js';
import type { SimRadio } from './sim-radio.js';
import { SharedAirLink, sharedAirAddress } from './shared-air.js';

/** Something started with the radio and stopped with it (the simulated peers). */
export interface SimCompanions {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SimSetupOptions {
  /** The shared air's name, or `private` for an air of this process alone. */
  air: string;
  position: { x: number; y: number } | undefined;
  /** Advertising interval of the air's ticks. */
  intervalMs?: number;
  logger: Logger;
  /** Built once the air exists: the simulated peers around `center`. */
  companions?: (air: SimAir, center: { x: number; y: number }) => SimCompanions;
}

/**
 * `--radio sim`: this process's radio on a simulated air, shared with every other sim process of
 * the user on this machine unless `air` is `private`, plus its companions (simulated peers).
 */
export function createSimRadio(options: SimSetupOptions): { radio: SimRadio; air: SimAir; link: SharedAirLink | undefined } {
  const air = new SimAir();
  const position = options.position ?? { x: Math.random() * 10, y: Math.random() * 10 };
  const radio = air.addRadio(position);
  const link = options.air.toLowerCase() === 'private' ? undefined : new SharedAirLink(air, sharedAirAddress(options.air), options.logger);
  const companions = options.companions?.(air, { ...position });
  const start = radio.start.bind(radio);
  const close = radio.close.bind(radio);
  radio.start = async () => {
    await start();
    await link?.start();
    air.start(options.intervalMs ?? 200);
    await companions?.start();
  };
  radio.close = async () => {
    await companions?.stop();
    air.stop();
    await link?.close();
    await close();
  };
  return { radio, air, link };
}
