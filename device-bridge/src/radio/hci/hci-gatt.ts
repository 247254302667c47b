import type { GattCentral, GattPeripheral, GattServiceSpec, GattSession, PeripheralEvent } from '../../ports/gatt.js';
import { ATT_UNLIKELY_ERROR } from '../../ports/gatt.js';
import { blenoGattClasses, type BlenoBindings, type Noble, type NobleCharacteristic, type NoblePeripheral } from './libs.js';
import { withTimeout } from './with-timeout.js';

/**
 * The relay's GATT server on bleno's bindings: one service, one central at a time (bleno's
 * limit, and the controller's while it advertises connectably). Long reads reach `onRead` once per
 * Read Blob; bleno cuts each answer to MTU − 1.
 */
export class BlenoGattPeripheral implements GattPeripheral {
  private readonly listeners = new Set<(event: PeripheralEvent) => void>();

  constructor(private readonly bindings: BlenoBindings) {
    bindings.on('accept', (central: string) => this.emit({ type: 'connected', central }));
    bindings.on('disconnect', (central: string) => this.emit({ type: 'disconnected', central }));
    bindings.on('mtuChange', (mtu: number) => this.emit({ type: 'mtu', mtu }));
  }

  async serve(service: GattServiceSpec): Promise<void> {
    const { PrimaryService, Characteristic } = blenoGattClasses();
    const characteristics = service.characteristics.map(
      (c) =>
        new Characteristic({
          uuid: c.uuid,
          properties: [...(c.onRead ? ['read'] : []), ...(c.onWrite ? ['write'] : [])],
          ...(c.onRead
            ? {
                onReadRequest: (offset, callback) =>
                  void c.onRead!(offset).then(
                    (r) => callback(r.result, r.data),
                    () => callback(ATT_UNLIKELY_ERROR),
                  ),
              }
            : {}),
          ...(c.onWrite
            ? {
                onWriteRequest: (data, _offset, _withoutResponse, callback) =>
                  void c.onWrite!(Buffer.from(data)).then(callback, () => callback(ATT_UNLIKELY_ERROR)),
              }
            : {}),
        }),
    );
    this.bindings.setServices([new PrimaryService({ uuid: service.uuid, characteristics })]);
  }

  onEvent(listener: (event: PeripheralEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  disconnect(): void {
    this.bindings.disconnect();
  }

  private emit(event: PeripheralEvent): void {
    for (const l of this.listeners) l(event);
  }
}

/**
 * The relay's GATT client on noble: connects to a peripheral noble has heard (by its address),
 * waits for the MTU exchange noble starts itself, discovers the service, and puts a timeout on
 * every step, because noble's callbacks only ever report success and a call pending at a
 * disconnect never returns.
 */
export class NobleGattCentral implements GattCentral {
  constructor(private readonly noble: Noble & { _peripherals: Record<string, NoblePeripheral> }) {}

  async connect(address: string, service: { uuid: string; characteristics: readonly string[] }, timeoutMs: number): Promise<GattSession> {
    const peripheral = await withTimeout(this.known(address.replaceAll(':', '').toLowerCase()), timeoutMs, `no connectable advertisement from ${address}`);
    try {
      await withTimeout(peripheral.connectAsync(), timeoutMs, `connect to ${address}`);
    } catch (error) {
      if (peripheral.state === 'connecting') peripheral.cancelConnect();
      throw error;
    }
    try {
      await withTimeout(mtuExchanged(peripheral), timeoutMs, 'MTU exchange');
      const { characteristics } = await withTimeout(
        peripheral.discoverSomeServicesAndCharacteristicsAsync([service.uuid], [...service.characteristics]),
        timeoutMs,
        'service discovery',
      );
      const byUuid = new Map(characteristics.map((c) => [c.uuid, c]));
      for (const uuid of service.characteristics) if (!byUuid.has(uuid)) throw new Error(`characteristic ${uuid} missing`);
      return new NobleSession(peripheral, byUuid, timeoutMs);
    } catch (error) {
      await peripheral.disconnectAsync().catch(() => {});
      throw error;
    }
  }

  /** noble creates a connectable peripheral only at its second sighting (or scan response): wait for it. */
  private known(uuid: string): Promise<NoblePeripheral> {
    const existing = this.noble._peripherals[uuid];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => {
      const onDiscover = (p: NoblePeripheral) => {
        if (p.id !== uuid) return;
        this.noble.removeListener('discover', onDiscover);
        resolve(p);
      };
      this.noble.on('discover', onDiscover);
      setTimeout(() => this.noble.removeListener('discover', onDiscover), 60_000).unref();
    });
  }
}

class NobleSession implements GattSession {
  constructor(
    private readonly peripheral: NoblePeripheral,
    private readonly characteristics: Map<string, NobleCharacteristic>,
    private readonly timeoutMs: number,
  ) {}

  get mtu(): number {
    return this.peripheral.mtu ?? 23;
  }

  read(characteristic: string): Promise<Buffer> {
    this.assertConnected();
    return withTimeout(this.characteristics.get(characteristic)!.readAsync(), this.timeoutMs, `read ${characteristic}`);
  }

  write(characteristic: string, data: Buffer): Promise<void> {
    this.assertConnected();
    const c = this.characteristics.get(characteristic)!;
    return withTimeout(new Promise<void>((resolve, reject) => c.write(data, false, (error) => (error ? reject(error) : resolve()))), this.timeoutMs, `write ${characteristic}`);
  }

  async disconnect(): Promise<void> {
    if (this.peripheral.state !== 'connected') return;
    await withTimeout(this.peripheral.disconnectAsync(), this.timeoutMs, 'disconnect').catch(() => {});
  }

  private assertConnected(): void {
    if (this.peripheral.state !== 'connected') throw new Error('the peripheral disconnected');
  }
}

function mtuExchanged(peripheral: NoblePeripheral): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (peripheral.mtu !== null && peripheral.mtu !== undefined) resolve();
      else timer = setTimeout(check, 5);
    };
    let timer = setTimeout(check, 0);
    peripheral.once('disconnect', () => clearTimeout(timer));
  });
}
