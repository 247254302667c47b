import type { SimGattPeripheral } from './sim-gatt.js';
import { SimRadio } from './sim-radio.js';

export interface SimAirOptions {
  /** Hard cut-off distance in metres. */
  rangeM: number;
  /** RSSI at 1 m for a 0 dBm transmitter. */
  rssiAt1mDbm: number;
  /** Log-distance path loss exponent (2 = free space, 2.5–4 indoors). */
  pathLossExponent: number;
  /** Standard deviation of Gaussian shadowing noise in dB. */
  noiseSigmaDb: number;
  /** Reports weaker than this are not delivered. */
  sensitivityDbm: number;
  random: () => number;
}

export const DEFAULT_AIR: SimAirOptions = {
  rangeM: 40,
  rssiAt1mDbm: -59,
  pathLossExponent: 2.2,
  noiseSigmaDb: 2,
  sensitivityDbm: -100,
  random: Math.random,
};

/** What a transmitter looks like to the air: a local radio, or one of another process on the shared air. */
export interface Transmitter {
  readonly position: { x: number; y: number };
  readonly currentPayload: Buffer | undefined;
  readonly txPowerDbm: number;
  advertisingAddress(): string | undefined;
}

/** A radio of another process, as the shared air last described it. */
export interface RemoteTransmitter extends Transmitter {
  readonly connectable: boolean;
}

/**
 * An in-memory "air": every tick, each advertising radio's payload reaches each scanning radio in
 * range with an RSSI from a log-distance path-loss model plus Gaussian noise. A spatial grid with
 * cells of `rangeM` keeps a tick near O(n · neighbours), so thousands of devices are fine.
 */
export class SimAir {
  readonly options: SimAirOptions;
  private readonly radios = new Set<SimRadio>();
  private readonly remotes = new Map<string, RemoteTransmitter>();
  private readonly changeListeners = new Set<(radio: SimRadio, gone: boolean) => void>();
  private timer: NodeJS.Timeout | undefined;
  ticks = 0;
  delivered = 0;

  constructor(options: Partial<SimAirOptions> = {}) {
    this.options = { ...DEFAULT_AIR, ...options };
  }

  /** Creates a radio at (x, y) metres. */
  addRadio(position: { x: number; y: number } = { x: 0, y: 0 }): SimRadio {
    const radio = new SimRadio(this, position, this.options.random);
    this.radios.add(radio);
    return radio;
  }

  /** @internal called by SimRadio.close */
  remove(radio: SimRadio): void {
    this.radios.delete(radio);
    for (const l of this.changeListeners) l(radio, true);
  }

  /** @internal called by SimRadio when what it advertises, or where, changed. */
  changed(radio: SimRadio): void {
    for (const l of this.changeListeners) l(radio, false);
  }

  /** Every change of a local radio's advertisement or position (for the shared air). */
  onChange(listener: (radio: SimRadio, gone: boolean) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  get localRadios(): readonly SimRadio[] {
    return [...this.radios];
  }

  /** Another process's radio appeared or changed (shared air). */
  setRemote(id: string, transmitter: RemoteTransmitter): void {
    this.remotes.set(id, transmitter);
  }

  removeRemote(id: string): void {
    this.remotes.delete(id);
  }

  clearRemotes(): void {
    this.remotes.clear();
  }

  get remoteCount(): number {
    return this.remotes.size;
  }

  get size(): number {
    return this.radios.size;
  }

  rssiAt(distanceM: number, txPowerDbm: number): number {
    const { rssiAt1mDbm, pathLossExponent, noiseSigmaDb } = this.options;
    const d = Math.max(distanceM, 0.1);
    return Math.round(txPowerDbm + rssiAt1mDbm - 10 * pathLossExponent * Math.log10(d) + noiseSigmaDb * this.gaussian());
  }

  /** Delivers one advertising event from every advertiser to every scanner in range. */
  tick(): void {
    this.ticks++;
    const cell = this.options.rangeM;
    const grid = new Map<string, SimRadio[]>();
    for (const r of this.radios) {
      if (!r.isScanning) continue;
      const key = `${Math.floor(r.position.x / cell)},${Math.floor(r.position.y / cell)}`;
      const list = grid.get(key);
      if (list) list.push(r);
      else grid.set(key, [r]);
    }
    const range2 = cell * cell;
    for (const tx of [...this.radios, ...this.remotes.values()] as Transmitter[]) {
      const payload = tx.currentPayload;
      const address = tx.advertisingAddress();
      if (payload === undefined || address === undefined) continue;
      const cx = Math.floor(tx.position.x / cell);
      const cy = Math.floor(tx.position.y / cell);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          const list = grid.get(`${cx + dx},${cy + dy}`);
          if (list === undefined) continue;
          for (const rx of list) {
            if (rx === tx) continue;
            const ddx = rx.position.x - tx.position.x;
            const ddy = rx.position.y - tx.position.y;
            const d2 = ddx * ddx + ddy * ddy;
            if (d2 > range2) continue;
            const rssi = this.rssiAt(Math.sqrt(d2), tx.txPowerDbm);
            if (rssi < this.options.sensitivityDbm) continue;
            this.delivered++;
            rx.deliver(payload, rssi, address);
          }
        }
      }
    }
  }

  /** The GATT server advertising connectably from `address` within range of `from`. */
  findConnectable(address: string, from: SimRadio): SimGattPeripheral | undefined {
    for (const r of this.radios) {
      const peripheral = r === from ? undefined : r.connectableAs(address);
      if (peripheral && Math.hypot(r.position.x - from.position.x, r.position.y - from.position.y) <= this.options.rangeM) return peripheral;
    }
    return undefined;
  }

  /** Ticks on a timer (the advertising interval). */
  start(intervalMs = 100): void {
    this.stop();
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private spare: number | undefined;
  private gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = Math.max(this.options.random(), 1e-12);
    const v = this.options.random();
    const mag = Math.sqrt(-2 * Math.log(u));
    this.spare = mag * Math.sin(2 * Math.PI * v);
    return mag * Math.cos(2 * Math.PI * v);
  }
}
