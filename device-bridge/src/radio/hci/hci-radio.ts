import type { Logger } from '../../ports/logger.js';
import type { AdvertiseOptions, Radio, ReportListener } from '../../ports/radio.js';
import { addressToHciBytes, randomPrivateAddress } from '../random-address.js';
import { loadBlenoBindings, loadNoble, uartSocketClass, type BlenoBindings, type HciSocket, type Noble, type NobleBindings, type NobleHci } from './libs.js';
import { clearNobleMaps } from './noble-bounds.js';
import { BlenoGattPeripheral, NobleGattCentral } from './hci-gatt.js';
import { withTimeout } from './with-timeout.js';
import type { GattCentral, GattPeripheral } from '../../ports/gatt.js';

/** Where one controller is: a UART (H4) serial port, or a kernel HCI device index. */
export interface HciTransport {
  uart?: string;
  deviceId?: number;
}

export interface HciRadioOptions {
  /** Controller noble scans with. */
  scanner: HciTransport;
  /** Controller bleno advertises with. Must differ from the scanner on UART (one port, one owner). */
  advertiser: HciTransport;
  logger: Logger;
  random?: () => number;
  commandTimeoutMs?: number;
  /** Advertising interval in ms (≥ 100 for non-connectable advertising). */
  advertisingIntervalMs?: number;
  /** How often noble's never-evicted maps are emptied. */
  mapClearIntervalMs?: number;
}

const OP_LE_SET_RANDOM_ADDRESS = 0x2005;
const OP_LE_SET_ADVERTISING_PARAMETERS = 0x2006;
const OP_LE_SET_SCAN_PARAMETERS = 0x200b;
const STATUS_COMMAND_DISALLOWED = 0x0c;
const ADV_IND = 0x00;
const ADV_NONCONN_IND = 0x03;
const OWN_ADDRESS_RANDOM = 0x01;

/**
 * The production radio: noble scans (duplicates allowed, passive), bleno advertises. bleno always
 * advertises from the public address, so address rotation is added here: with advertising off,
 * LE Set Random Address (0x2005) with a fresh non-resolvable private address, then LE Set
 * Advertising Parameters (0x2006) with own-address type random and ADV_NONCONN_IND, then bleno's
 * own startAdvertisingWithEIRData. Controllers that answer Command Disallowed to re-enabling
 * advertising are handled (bleno then never calls back; we listen for its error event instead).
 */
export class HciRadio implements Radio {
  readonly kind = 'hci';
  private readonly listeners = new Set<ReportListener>();
  private readonly ownAddresses: string[] = [];
  private address: string | undefined;
  private connectable = false;
  private advertisingOn = false;
  private peripheral: BlenoGattPeripheral | undefined;
  private central: NobleGattCentral | undefined;
  private scanning = false;
  private queue: Promise<unknown> = Promise.resolve();
  private mapTimer: NodeJS.Timeout | undefined;
  private readonly timeoutMs: number;
  private readonly random: () => number;
  readonly noble: Noble;
  readonly nobleBindings: NobleBindings;
  readonly bleno: BlenoBindings;
  mapsCleared = 0;
  disallowedReEnables = 0;

  private constructor(private readonly options: HciRadioOptions) {
    this.timeoutMs = options.commandTimeoutMs ?? 3_000;
    this.random = options.random ?? Math.random;
    const { noble, bindings } = loadNoble({ deviceId: options.scanner.deviceId });
    this.noble = noble;
    this.nobleBindings = bindings;
    this.bleno = loadBlenoBindings();
    if (options.scanner.uart !== undefined) useUart(bindings._hci, options.scanner.uart);
    if (options.advertiser.uart !== undefined) useUart(this.bleno._hci, options.advertiser.uart);
    forcePassiveScan(bindings._hci);
    bindings._hci.on('leAdvertisingReport', this.onHciReport);
  }

  static async create(options: HciRadioOptions): Promise<HciRadio> {
    const { scanner, advertiser } = options;
    if (scanner.uart !== undefined && scanner.uart === advertiser.uart) {
      throw new Error('scanner and advertiser need separate controllers on UART: a serial port has one owner');
    }
    return new HciRadio(options);
  }

  async start(): Promise<void> {
    const nobleOn = waitForState(this.noble, 'poweredOn', this.timeoutMs * 5, 'noble');
    const blenoOn = waitForState(this.bleno, 'poweredOn', this.timeoutMs * 5, 'bleno');
    const previous = process.env.BLENO_HCI_DEVICE_ID;
    if (this.options.advertiser.deviceId !== undefined) process.env.BLENO_HCI_DEVICE_ID = String(this.options.advertiser.deviceId);
    this.bleno.init();
    if (previous === undefined) delete process.env.BLENO_HCI_DEVICE_ID;
    else process.env.BLENO_HCI_DEVICE_ID = previous;
    await Promise.all([nobleOn, blenoOn]);
    // Both libraries exit the process on SIGINT when theirs is the last handler: the bridge shuts down itself.
    for (const b of [this.nobleBindings, this.bleno]) if (b.onSigIntBinded) process.removeListener('SIGINT', b.onSigIntBinded);
    this.mapTimer = setInterval(() => {
      this.mapsCleared += clearNobleMaps(this.noble, this.nobleBindings);
    }, this.options.mapClearIntervalMs ?? 30_000);
    this.mapTimer.unref();
  }

  advertise(payload: Uint8Array, options: AdvertiseOptions = {}): Promise<void> {
    if (payload.length > 31) return Promise.reject(new RangeError(`advertisement data is ${payload.length} bytes, max 31`));
    const connectable = options.connectable ?? false;
    return this.serial(async () => {
      const rotate = options.rotateAddress || this.address === undefined;
      if (rotate || connectable !== this.connectable) {
        if (this.advertisingOn) await this.blenoStop();
        await this.setAdvertisingAddress(rotate ? randomPrivateAddress(this.random) : this.address!, connectable);
      }
      await this.blenoStart(Buffer.from(payload));
    });
  }

  stopAdvertising(): Promise<void> {
    return this.serial(async () => {
      if (this.advertisingOn) await this.blenoStop();
    });
  }

  startScan(): Promise<void> {
    return this.serial(async () => {
      await withTimeout(
        new Promise<void>((resolve, reject) => this.noble.startScanning([], true, (err) => (err ? reject(err) : resolve()))),
        this.timeoutMs,
        'noble startScanning',
      );
      this.scanning = true;
    });
  }

  stopScan(): Promise<void> {
    return this.serial(async () => {
      this.scanning = false;
      await withTimeout(new Promise<void>((resolve) => this.noble.stopScanning(() => resolve())), this.timeoutMs, 'noble stopScanning');
    });
  }

  onReport(listener: ReportListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  advertisingAddress(): string | undefined {
    return this.advertisingOn ? this.address : undefined;
  }

  async close(): Promise<void> {
    clearInterval(this.mapTimer);
    await this.stopAdvertising().catch(() => {});
    if (this.scanning) await this.stopScan().catch(() => {});
    this.listeners.clear();
    for (const hci of [this.nobleBindings._hci, this.bleno._hci]) {
      hci.pollIsDevUp = () => {}; // both libraries poll forever; stop it
      try {
        hci._socket.stop();
      } catch {
        // already closed
      }
    }
  }

  /** Raw reports from noble's HCI layer: the exact advertising data bytes, every report. */
  private readonly onHciReport = (_status: number, _type: number, address: string, _addressType: string, eir: Buffer, rssi: number): void => {
    if (!this.scanning || this.ownAddresses.includes(address)) return;
    for (const l of this.listeners) l(eir, rssi, address);
  };

  /** The relay's GATT server, on the advertising controller (bleno). */
  gattPeripheral(): GattPeripheral {
    this.peripheral ??= new BlenoGattPeripheral(this.bleno);
    return this.peripheral;
  }

  /** The relay's GATT client, on the scanning controller (noble scans and connects on the same one). */
  gattCentral(): GattCentral {
    this.central ??= new NobleGattCentral(this.noble as never);
    return this.central;
  }

  private async setAdvertisingAddress(address: string, connectable: boolean): Promise<void> {
    let status = await this.command(OP_LE_SET_RANDOM_ADDRESS, addressToHciBytes(address));
    if (status === STATUS_COMMAND_DISALLOWED) {
      // Advertising was still on (e.g. after a controller quirk): turn it off and try once more.
      this.bleno._hci.setAdvertiseEnable(false);
      status = await this.command(OP_LE_SET_RANDOM_ADDRESS, addressToHciBytes(address));
    }
    if (status !== 0) throw new Error(`LE Set Random Address failed with status 0x${status.toString(16)}`);
    const params = Buffer.alloc(15);
    const interval = Math.round(Math.max(100, this.options.advertisingIntervalMs ?? 100) * 1.6);
    params.writeUInt16LE(interval, 0);
    params.writeUInt16LE(interval, 2);
    params[4] = connectable ? ADV_IND : ADV_NONCONN_IND;
    params[5] = OWN_ADDRESS_RANDOM;
    params[13] = 0x07; // all three advertising channels
    params[14] = 0x00; // no filter policy
    const paramStatus = await this.command(OP_LE_SET_ADVERTISING_PARAMETERS, params);
    if (paramStatus !== 0) throw new Error(`LE Set Advertising Parameters failed with status 0x${paramStatus.toString(16)}`);
    this.connectable = connectable;
    if (this.address === address) return;
    this.address = address;
    this.ownAddresses.push(address);
    if (this.ownAddresses.length > 8) this.ownAddresses.shift();
  }

  private async blenoStart(data: Buffer): Promise<void> {
    const wasOn = this.advertisingOn;
    const error = await withTimeout(
      new Promise<Error | null>((resolve) => {
        const done = (err: Error | null | undefined) => {
          this.bleno.removeListener('advertisingStart', done);
          resolve(err ?? null);
        };
        this.bleno.on('advertisingStart', done);
        this.bleno.startAdvertisingWithEIRData(data, Buffer.alloc(0));
      }),
      this.timeoutMs,
      'bleno startAdvertising',
    );
    if (error === null) {
      this.advertisingOn = true;
      return;
    }
    if (/disallowed/i.test(error.message) && wasOn) {
      // The controller refuses to enable what is already enabled; the new data was still written.
      this.disallowedReEnables++;
      this.options.logger.debug('controller answered Command Disallowed to re-enabling advertising; data updated', {});
      return;
    }
    throw error;
  }

  private async blenoStop(): Promise<void> {
    await withTimeout(
      new Promise<void>((resolve) => {
        this.bleno.once('advertisingStop', () => resolve());
        this.bleno.stopAdvertising();
      }),
      this.timeoutMs,
      'bleno stopAdvertising',
    );
    this.advertisingOn = false;
  }

  /** Sends one HCI command on bleno's socket and resolves with the Command Complete status. */
  private command(opcode: number, params: Buffer): Promise<number> {
    const socket = this.bleno._hci._socket;
    return withTimeout(
      new Promise<number>((resolve) => {
        const onData = (data: Buffer) => {
          if (data.length >= 7 && data[0] === 0x04 && data[1] === 0x0e && data.readUInt16LE(4) === opcode) {
            socket.removeListener('data', onData);
            resolve(data[6]!);
          }
        };
        socket.on('data', onData);
        const packet = Buffer.alloc(4 + params.length);
        packet[0] = 0x01;
        packet.writeUInt16LE(opcode, 1);
        packet[3] = params.length;
        params.copy(packet, 4);
        socket.write(packet);
      }),
      this.timeoutMs,
      `HCI command 0x${opcode.toString(16)}`,
    );
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }
}

/** Swaps the library's socket for the UART driver bound to `port` (before the library's init). */
function useUart(hci: { _socket: HciSocket }, port: string): void {
  const Uart = uartSocketClass();
  const socket = new Uart();
  const bindRaw = socket.bindRaw.bind(socket);
  socket.bindRaw = (devId?: number) => bindRaw(devId, { uart: { port } });
  hci._socket = socket;
}

/**
 * noble scans actively (scan type 1), which makes the scanner send SCAN_REQs from its public
 * address. A contact-tracing scanner should stay silent: replace noble's (legacy) LE Set Scan
 * Parameters with the same command in passive mode. (The native socket's `write` is read-only,
 * so the method on noble's Hci object is replaced, not the socket's.)
 */
function forcePassiveScan(hci: NobleHci): void {
  hci.setScanParameters = (interval = 0x0012, window = 0x0012) => {
    const cmd = Buffer.alloc(11);
    cmd[0] = 0x01;
    cmd.writeUInt16LE(OP_LE_SET_SCAN_PARAMETERS, 1);
    cmd[3] = 7;
    cmd[4] = 0x00; // passive
    cmd.writeUInt16LE(interval, 5);
    cmd.writeUInt16LE(window, 7);
    cmd[9] = 0x00; // own address type public (no packets are sent in passive mode)
    cmd[10] = 0x00; // accept all advertisements
    hci._socket.write(cmd);
  };
}

function waitForState(emitter: NodeJS.EventEmitter, wanted: string, timeoutMs: number, name: string): Promise<void> {
  let last = 'unknown';
  let onState: (state: string) => void = () => {};
  const reached = new Promise<void>((resolve, reject) => {
    onState = (state: string) => {
      last = state;
      if (state === wanted) resolve();
      else if (state === 'unsupported' || state === 'unauthorized') reject(new Error(`${name}: adapter ${state}`));
    };
    emitter.on('stateChange', onState);
  });
  return withTimeout(reached, timeoutMs, () => `${name}: no controller powered on within ${timeoutMs} ms (state ${last}); check the --hci-* flags`).finally(() =>
    emitter.removeListener('stateChange', onState),
  );
}
