import { ATT_SUCCESS, type GattCentral, type GattPeripheral, type GattServiceSpec, type GattSession, type PeripheralEvent } from '../../ports/gatt.js';

/** The MTU noble asks for and bleno grants: what the hci adapter ends up with. */
export const SIM_ATT_MTU = 256;

/**
 * GATT on the simulated air, for `--radio sim` and fast tests: the same characteristic handlers
 * as on bleno, reached the way ATT reaches them (reads at increasing offsets, MTU − 1 bytes each,
 * until a short one). Unlike noble, a refused write rejects at once instead of timing out.
 */
export class SimGattPeripheral implements GattPeripheral {
  service: GattServiceSpec | undefined;
  central: string | undefined;
  private readonly listeners = new Set<(event: PeripheralEvent) => void>();

  async serve(service: GattServiceSpec): Promise<void> {
    this.service = service;
  }

  onEvent(listener: (event: PeripheralEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  disconnect(): void {
    const central = this.central;
    if (central === undefined) return;
    this.central = undefined;
    this.emit({ type: 'disconnected', central });
  }

  /** @internal a central connects. */
  accept(central: string): void {
    this.central = central;
    this.emit({ type: 'connected', central });
    this.emit({ type: 'mtu', mtu: SIM_ATT_MTU });
  }

  private emit(event: PeripheralEvent): void {
    for (const l of this.listeners) l(event);
  }
}

export interface SimGattPeer {
  readonly address: string;
  /** The peripheral advertising connectably from `address` within range of `from`, if any. */
  findConnectable(address: string): SimGattPeripheral | undefined;
}

export class SimGattCentral implements GattCentral {
  constructor(private readonly self: SimGattPeer) {}

  async connect(address: string, service: { uuid: string; characteristics: readonly string[] }): Promise<GattSession> {
    const peripheral = this.self.findConnectable(address);
    if (peripheral === undefined) throw new Error(`no connectable advertisement from ${address}`);
    if (peripheral.central !== undefined) throw new Error(`${address} is connected to another central`);
    if (peripheral.service?.uuid !== service.uuid) throw new Error(`service ${service.uuid} missing`);
    const byUuid = new Map(peripheral.service.characteristics.map((c) => [c.uuid, c]));
    for (const uuid of service.characteristics) if (!byUuid.has(uuid)) throw new Error(`characteristic ${uuid} missing`);
    peripheral.accept(this.self.address);
    const connected = () => {
      if (peripheral.central !== this.self.address) throw new Error('the peripheral disconnected');
    };
    return {
      mtu: SIM_ATT_MTU,
      read: async (uuid) => {
        connected();
        const parts: Buffer[] = [];
        for (let offset = 0; ; ) {
          const r = await byUuid.get(uuid)!.onRead!(offset);
          if (r.result !== ATT_SUCCESS) break; // noble, too, ends a read on an error with what it has
          const chunk = (r.data ?? Buffer.alloc(0)).subarray(0, SIM_ATT_MTU - 1);
          parts.push(chunk);
          offset += chunk.length;
          if (chunk.length < SIM_ATT_MTU - 1) break;
        }
        return Buffer.concat(parts);
      },
      write: async (uuid, data) => {
        connected();
        const result = await byUuid.get(uuid)!.onWrite!(Buffer.from(data));
        if (result !== ATT_SUCCESS) throw new Error(`write ${uuid} refused with ATT error 0x${result.toString(16)}`);
      },
      disconnect: async () => {
        if (peripheral.central === this.self.address) peripheral.disconnect();
      },
    };
  }
}
