import { SimAir } from '../../../device-bridge/src/radio/sim/sim-air.js';
import type { SimRadio } from '../../../device-bridge/src/radio/sim/sim-radio.js';
import type { Point } from '../town/geometry.js';
import type { Random } from '../town/random.js';
import type { Stay, Town } from '../town/town-model.js';

/** Far from every site and from each other: where a person walks alone between two stays. */
function alone(person: number): Point {
  return { x: 1_000_000 + person * 1000, y: -1_000_000 };
}

/**
 * The town on the bridge's simulated air (device-bridge/src/radio/sim): one radio per device
 * carrier, moved to the spot of each stay as the schedule says, one advertising event per
 * simulated minute from every advertiser to every scanner in range (log-distance path loss and
 * 2 dB of noise, as the air models it).
 */
export class TownAir {
  readonly air: SimAir;
  private readonly radios = new Map<number, SimRadio>();
  private readonly next = new Map<number, number>();

  constructor(
    private readonly town: Town,
    noise: Random,
  ) {
    const { rangeM, rssiAt1mDbm, pathLossExponent, noiseSigmaDb } = town.air;
    this.air = new SimAir({ rangeM, rssiAt1mDbm, pathLossExponent, noiseSigmaDb, random: noise.next });
  }

  /**
   * The radio a person's device uses. Radios draw their addresses from the air's stream: devices
   * start one after another, so the draws keep their order.
   */
  radioOf(person: number): SimRadio {
    let radio = this.radios.get(person);
    if (!radio) {
      radio = this.air.addRadio(alone(person));
      radio.txPowerDbm = this.town.air.txPowerDbm;
      this.radios.set(person, radio);
      this.next.set(person, 0);
    }
    return radio;
  }

  /** Puts every radio where its carrier is at `minute` (minutes only move forward). */
  moveTo(minute: number): void {
    for (const [person, radio] of this.radios) {
      const stays = this.town.stays[person]!;
      let i = this.next.get(person)!;
      while (i < stays.length && stays[i]!.to <= minute) i++;
      this.next.set(person, i);
      const stay: Stay | undefined = stays[i] && stays[i]!.from <= minute ? stays[i] : undefined;
      const at = stay ? stay.at : alone(person);
      if (radio.position.x !== at.x || radio.position.y !== at.y) radio.moveTo(at.x, at.y);
    }
  }

  /** One advertising event. */
  tick(): void {
    this.air.tick();
  }

  get delivered(): number {
    return this.air.delivered;
  }
}
