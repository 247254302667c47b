import { openPty, type Pty } from './pty.js';
import { CONNECTABLE_ADV_TYPES, Status } from './hci-constants.js';
import { VirtualController, type ConnectionParameters, type ControllerQuirks, type DeviceAddress, type LinkLayer } from './virtual-controller.js';

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

interface LinkEnd {
  controller: VirtualController;
  handle: number;
}

interface Link {
  central: LinkEnd;
  peripheral: LinkEnd;
}

/**
 * N virtual controllers on one simulated air, each behind its own pty. Advertising controllers
 * send a PDU every advertising interval; every scanning controller in range receives it as an LE
 * Advertising Report with an RSSI from a log-distance model.
 *
 * Connections: a controller initiating (LE Create Connection) connects as soon as a connectable
 * advertisement from the requested address is on the air in range; both hosts get LE Connection
 * Complete (central role 0, peripheral role 1) and the peripheral stops advertising. ACL fragments
 * go from one host to the other unchanged but for the handle and the boundary flag; moving out of
 * range ends the link with Connection Timeout, as the supervision timeout would. There is no air
 * time: a fragment arrives as fast as the ptys carry it (see device-bridge/README.md, limits).
 */
export class VirtualAir implements LinkLayer {
  readonly controllers = new Map<string, { controller: VirtualController; pty: Pty | undefined; nextAdvAt: number }>();
  private readonly pending = new Map<VirtualController, { peer: DeviceAddress; parameters: ConnectionParameters }>();
  private readonly links: Link[] = [];
  connectionsEstablished = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly options: Required<VirtualAirOptions>;

  /** An air without a clock or ptys: {@link start} is the usual way; tests drive {@link place}d controllers directly. */
  constructor(options: VirtualAirOptions = {}) {
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

  /** Two controllers per host, `<name>-scan` and `<name>-adv`, as a bridge or a dedicated device uses them. */
  static startHosts(hosts: readonly { name: string; position: { x: number; y: number }; quirks?: ControllerQuirks }[], options: VirtualAirOptions = {}): Promise<VirtualAir> {
    return VirtualAir.start(
      hosts.flatMap((h) => [
        { id: `${h.name}-scan`, position: { ...h.position } },
        { id: `${h.name}-adv`, position: { ...h.position }, quirks: h.quirks },
      ]),
      options,
    );
  }

  async add(spec: VirtualControllerSpec): Promise<VirtualController> {
    const pty = await openPty();
    const controller = new VirtualController(spec.id, { ...spec.position }, spec.quirks, undefined);
    controller.attach((data) => pty.write(data));
    controller.link = this;
    pty.onData((data) => controller.receive(data));
    this.controllers.set(spec.id, { controller, pty, nextAdvAt: 0 });
    return controller;
  }

  /** Puts a controller on this air without a pty: its host is whoever calls `receive` and reads its output. */
  place(controller: VirtualController): void {
    controller.link = this;
    this.controllers.set(controller.id, { controller, pty: undefined, nextAdvAt: 0 });
  }

  path(id: string): string {
    const entry = this.controllers.get(id);
    if (entry?.pty === undefined) throw new Error(`no controller ${id} behind a pty`);
    return entry.pty.path;
  }

  controller(id: string): VirtualController {
    const entry = this.controllers.get(id);
    if (entry === undefined) throw new Error(`no controller ${id}`);
    return entry.controller;
  }

  createConnection(initiator: VirtualController, peer: DeviceAddress, parameters: ConnectionParameters): void {
    this.pending.set(initiator, { peer, parameters });
    this.establishPending();
  }

  cancelConnection(initiator: VirtualController): boolean {
    return this.pending.delete(initiator);
  }

  sendAcl(from: VirtualController, handle: number, boundary: number, data: Buffer): boolean {
    const link = this.linkOf(from, handle);
    if (link === undefined) return false;
    const to = link.central.controller === from && link.central.handle === handle ? link.peripheral : link.central;
    to.controller.deliverAcl(to.handle, boundary, data);
    return true;
  }

  disconnect(from: VirtualController, handle: number, reason: number): boolean {
    const link = this.linkOf(from, handle);
    if (link === undefined) return false;
    const local = link.central.controller === from && link.central.handle === handle ? link.central : link.peripheral;
    const remote = local === link.central ? link.peripheral : link.central;
    this.drop(link);
    local.controller.disconnected(local.handle, Status.ConnectionTerminatedByLocalHost);
    remote.controller.disconnected(remote.handle, reason);
    return true;
  }

  /** Live links, for tests: who is connected to whom. */
  connectionCount(): number {
    return this.links.length;
  }

  tick(now = Date.now()): void {
    this.establishPending();
    this.superviseLinks();
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
    this.pending.clear();
    this.links.length = 0;
    await Promise.all([...this.controllers.values()].map((c) => c.pty?.close()));
    this.controllers.clear();
  }

  private establishPending(): void {
    for (const [initiator, { peer, parameters }] of [...this.pending]) {
      const target = [...this.controllers.values()].map((e) => e.controller).find((c) => this.connectableAt(c, peer) && this.inRange(initiator, c));
      if (target === undefined) continue;
      this.pending.delete(initiator);
      const centralAddress = { type: 0, address: initiator.publicAddress };
      const peripheralHandle = target.connected(centralAddress, 1, parameters);
      const centralHandle = initiator.connected(peer, 0, parameters);
      this.links.push({ central: { controller: initiator, handle: centralHandle }, peripheral: { controller: target, handle: peripheralHandle } });
      this.connectionsEstablished++;
    }
  }

  /** The supervision timeout: a link whose ends moved out of range is lost on both sides. */
  private superviseLinks(): void {
    for (const link of [...this.links]) {
      if (this.inRange(link.central.controller, link.peripheral.controller)) continue;
      this.drop(link);
      link.central.controller.disconnected(link.central.handle, Status.ConnectionTimeout);
      link.peripheral.controller.disconnected(link.peripheral.handle, Status.ConnectionTimeout);
    }
  }

  private connectableAt(c: VirtualController, peer: DeviceAddress): boolean {
    if (!c.advertising || !CONNECTABLE_ADV_TYPES.has(c.advType)) return false;
    const from = c.advertisingAddress;
    return from.type === peer.type && from.address.equals(peer.address);
  }

  private inRange(a: VirtualController, b: VirtualController): boolean {
    return Math.hypot(a.position.x - b.position.x, a.position.y - b.position.y) <= this.options.rangeM;
  }

  private linkOf(c: VirtualController, handle: number): Link | undefined {
    return this.links.find((l) => (l.central.controller === c && l.central.handle === handle) || (l.peripheral.controller === c && l.peripheral.handle === handle));
  }

  private drop(link: Link): void {
    this.links.splice(this.links.indexOf(link), 1);
  }

  private rssi(distanceM: number): number {
    const { rssiAt1mDbm, pathLossExponent, noiseSigmaDb } = this.options;
    const u = Math.max(Math.random(), 1e-12);
    const noise = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random()) * noiseSigmaDb;
    return Math.round(rssiAt1mDbm - 10 * pathLossExponent * Math.log10(Math.max(distanceM, 0.1)) + noise);
  }
}
