import type { GattCentral, GattPeripheral } from '../../ports/gatt.js';
import type { AdvertiseOptions, Radio, ReportListener } from '../../ports/radio.js';
import { randomPrivateAddress } from '../random-address.js';
import type { SimAir } from './sim-air.js';
import { SimGattCentral, SimGattPeripheral } from './sim-gatt.js';

export const MAX_LEGACY_ADV_DATA = 31;

/** A simulated radio on a {@link SimAir}. Behaves like the hci adapter as seen through the Radio port. */
export class SimRadio implements Radio {
  readonly kind = 'sim';
  txPowerDbm = 0;
  private payload: Buffer | undefined;
  private address: string;
  private scanning = false;
  private started = false;
  private connectable = false;
  private peripheral: SimGattPeripheral | undefined;
  private central: SimGattCentral | undefined;
  private readonly listeners = new Set<ReportListener>();

  constructor(
    private readonly air: SimAir,
    readonly position: { x: number; y: number },
    private readonly random: () => number,
  ) {
    this.address = randomPrivateAddress(this.random);
  }

  get isScanning(): boolean {
    return this.scanning;
  }

  get currentPayload(): Buffer | undefined {
    return this.payload;
  }

  moveTo(x: number, y: number): void {
    this.position.x = x;
    this.position.y = y;
    this.air.changed(this);
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async advertise(payload: Uint8Array, options: AdvertiseOptions = {}): Promise<void> {
    this.assertStarted();
    if (payload.length > MAX_LEGACY_ADV_DATA) throw new RangeError(`advertisement data is ${payload.length} bytes, max ${MAX_LEGACY_ADV_DATA}`);
    if (options.rotateAddress) {
      this.payload = undefined;
      this.address = randomPrivateAddress(this.random);
    }
    this.payload = Buffer.from(payload);
    this.connectable = options.connectable ?? false;
    this.air.changed(this);
  }

  async stopAdvertising(): Promise<void> {
    this.payload = undefined;
    this.air.changed(this);
  }

  get isConnectable(): boolean {
    return this.connectable;
  }

  async startScan(): Promise<void> {
    this.assertStarted();
    this.scanning = true;
  }

  async stopScan(): Promise<void> {
    this.scanning = false;
  }

  onReport(listener: ReportListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Not while a central is connected: a controller stops advertising for the connection. */
  advertisingAddress(): string | undefined {
    return this.payload === undefined || this.peripheral?.central !== undefined ? undefined : this.address;
  }

  gattPeripheral(): GattPeripheral {
    this.peripheral ??= new SimGattPeripheral();
    return this.peripheral;
  }

  gattCentral(): GattCentral {
    this.central ??= new SimGattCentral({ address: this.address, findConnectable: (address) => this.air.findConnectable(address, this) });
    return this.central;
  }

  /** @internal for SimAir: the GATT server, if this radio advertises connectably from `address` now. */
  connectableAs(address: string): SimGattPeripheral | undefined {
    return this.connectable && this.advertisingAddress() === address ? this.peripheral : undefined;
  }

  async close(): Promise<void> {
    this.payload = undefined;
    this.scanning = false;
    this.listeners.clear();
    this.air.remove(this);
  }

  /** @internal called by SimAir */
  deliver(data: Buffer, rssi: number, address: string): void {
    if (!this.scanning) return;
    for (const l of this.listeners) l(data, rssi, address);
  }

  private assertStarted(): void {
    if (!this.started) throw new Error('radio not started');
  }

}

const _conforms: (air: SimAir) => Radio = (air) => air.addRadio();
void _conforms;
