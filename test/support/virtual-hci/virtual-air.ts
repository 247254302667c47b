import { openPty, type Pty } from './pty.js';
import { VirtualController, type ControllerQuirks } from './virtual-controller.js';

export interface VirtualControllerSpec {
  id: string;
  position: { x: number; y: number };
  quirks?: ControllerQuirks;
}

export interface VirtualAirOptions {
  /** Hard range cut-off in metres. */
  rangeM?: number;
  /** RSSI at 1 m (0 dBm transmitter) and path-loss exponent of the log-distance model. */
  rssiAt1mDbm?: number;
  pathLossExponent?: number;
  noiseSigmaDb?: number;
  /** Air clock tick; each advertiser fires at its own advertising interval, rounded to ticks. */
  tickMs?: number;
}

/**
 * N virtual controllers on one simulated air, each behind its own pty. Advertising controllers
 * send a PDU every advertising interval; every scanning controller in range receives it as an LE
 * Advertising Report with an RSSI from a log-distance model.
 */
export class VirtualAir {
  readonly controllers = new Map<string, { controller: VirtualController; pty: Pty; nextAdvAt: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly options: Required<VirtualAirOptions>;

  private constructor(options: VirtualAirOptions) {
    this.options = { rangeM: 30, rssiAt1mDbm: -59, pathLossExponent: 2.2, noiseSigmaDb: 1.5, tickMs: 20, ...options };
  }

  static async start(specs: readonly VirtualControllerSpec[], options: VirtualAirOptions = {}): Promise<VirtualAir> {
    const air = new VirtualAir(options);
    try {
      for (const spec of specs) await air.add(spec);
    } catch (err) {
      await air.stop();
      throw err;
    }
    air.timer = setInterval(() => air.tick(), air.options.tickMs);
    return air;
  }

  async add(spec: VirtualControllerSpec): Promise<VirtualController> {
    const pty = await openPty();
    const controller = new VirtualController(spec.id, { ...spec.position }, spec.quirks, undefined);
    controller.attach((data) => pty.write(data));
    pty.onData((data) => controller.receive(data));
    this.controllers.set(spec.id, { controller, pty, nextAdvAt: 0 });
    return controller;
  }

  path(id: string): string {
    const entry = this.controllers.get(id);
    if (entry === undefined) throw new Error(`no controller ${id}`);
    return entry.pty.path;
  }

  controller(id: string): VirtualController {
    const entry = this.controllers.get(id);
    if (entry === undefined) throw new Error(`no controller ${id}`);
    return entry.controller;
  }

  tick(now = Date.now()): void {
    const all = [...this.controllers.values()];
    for (const tx of all) {
      const c = tx.controller;
      if (!c.advertising || now < tx.nextAdvAt) continue;
      tx.nextAdvAt = now + c.advIntervalMs;
      const from = c.advertisingAddress;
      for (const rx of all) {
        if (rx === tx || !rx.controller.scanning) continue;
        const dx = rx.controller.position.x - c.position.x;
        const dy = rx.controller.position.y - c.position.y;
        const d = Math.sqrt(dx * dx + dy * dy);
        if (d > this.options.rangeM) continue;
        rx.controller.hear(from, c.advType, c.advData, this.rssi(d));
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.controllers.values()].map((c) => c.pty.close()));
    this.controllers.clear();
  }

  private rssi(distanceM: number): number {
    const { rssiAt1mDbm, pathLossExponent, noiseSigmaDb } = this.options;
    const u = Math.max(Math.random(), 1e-12);
    const noise = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random()) * noiseSigmaDb;
    return Math.round(rssiAt1mDbm - 10 * pathLossExponent * Math.log10(Math.max(distanceM, 0.1)) + noise);
  }
}
