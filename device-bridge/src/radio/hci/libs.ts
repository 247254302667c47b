import { createRequire } from 'node:module';

/**
 * Typed views of the parts of @abandonware/noble 1.9.2-26 and @abandonware/bleno 0.6.2 (and the
 * HCI socket package the npm override resolves to @stoprocent/bluetooth-hci-socket 2.3.0) that the
 * hci adapter touches. Internal fields are named as in their sources (lib/hci-socket/*.js).
 */
const require = createRequire(import.meta.url);

export interface HciSocket {
  write(data: Buffer): void;
  on(event: 'data', listener: (data: Buffer) => void): this;
  removeListener(event: 'data', listener: (data: Buffer) => void): this;
  bindRaw(devId?: number, params?: { uart?: { port: string; baudRate?: number } }): unknown;
  stop(): void;
}

export interface NobleHci extends NodeJS.EventEmitter {
  _socket: HciSocket;
  pollIsDevUp: () => void;
  setScanParameters: (interval?: number, window?: number) => void;
}

export interface NobleBindings extends NodeJS.EventEmitter {
  _hci: NobleHci;
  _gap: NodeJS.EventEmitter & { _discoveries: Record<string, unknown> };
  _addresses: Record<string, unknown>;
  _addresseTypes: Record<string, unknown>;
  _connectable: Record<string, unknown>;
  scannable: Record<string, unknown>;
  onSigIntBinded?: () => void;
}

export interface NobleCharacteristic {
  uuid: string;
  readAsync(): Promise<Buffer>;
  write(data: Buffer, withoutResponse: boolean, callback?: (error?: Error | null) => void): void;
}

export interface NoblePeripheral extends NodeJS.EventEmitter {
  id: string;
  state: 'disconnected' | 'connecting' | 'connected' | 'disconnecting' | 'error';
  mtu: number | null;
  connectAsync(): Promise<void>;
  cancelConnect(): void;
  disconnectAsync(): Promise<void>;
  discoverSomeServicesAndCharacteristicsAsync(services: string[], characteristics: string[]): Promise<{ characteristics: NobleCharacteristic[] }>;
}

export interface Noble extends NodeJS.EventEmitter {
  state: string;
  _peripherals: Record<string, unknown>;
  _services: Record<string, unknown>;
  _characteristics: Record<string, unknown>;
  _descriptors: Record<string, unknown>;
  _discoveredPeripheralUUids: Record<string, unknown>;
  startScanning(uuids: string[], allowDuplicates: boolean, cb: (err?: Error | null) => void): void;
  stopScanning(cb?: () => void): void;
}

export interface BlenoHci extends NodeJS.EventEmitter {
  _socket: HciSocket;
  pollIsDevUp: () => void;
  setAdvertiseEnable(enabled: boolean): void;
}

export interface BlenoBindings extends NodeJS.EventEmitter {
  _hci: BlenoHci;
  setServices(services: unknown[]): void;
  disconnect(): void;
  init(): void;
  startAdvertisingWithEIRData(advertisementData: Buffer, scanData: Buffer): void;
  stopAdvertising(): void;
  onSigIntBinded?: () => void;
}

type SocketClass = new () => HciSocket;

export interface BlenoCharacteristicOptions {
  uuid: string;
  properties: string[];
  onReadRequest?: (offset: number, callback: (result: number, data?: Buffer) => void) => void;
  onWriteRequest?: (data: Buffer, offset: number, withoutResponse: boolean, callback: (result: number) => void) => void;
}

/** bleno's GATT object model (lib/primary-service.js, lib/characteristic.js), for BlenoBindings.setServices. */
export function blenoGattClasses(): {
  PrimaryService: new (options: { uuid: string; characteristics: unknown[] }) => unknown;
  Characteristic: new (options: BlenoCharacteristicOptions) => unknown;
} {
  return {
    PrimaryService: require('@abandonware/bleno/lib/primary-service') as new (options: { uuid: string; characteristics: unknown[] }) => unknown,
    Characteristic: require('@abandonware/bleno/lib/characteristic') as new (options: BlenoCharacteristicOptions) => unknown,
  };
}

export function loadNoble(options: { deviceId?: number }): { noble: Noble; bindings: NobleBindings } {
  const NobleBindingsClass = require('@abandonware/noble/lib/hci-socket/bindings') as new (o: object) => NobleBindings;
  const NobleClass = require('@abandonware/noble/lib/noble') as new (b: NobleBindings) => Noble;
  const bindings = new NobleBindingsClass(options.deviceId === undefined ? {} : { deviceId: options.deviceId });
  return { noble: new NobleClass(bindings), bindings };
}

/**
 * bleno's module exports one shared bindings instance; a second radio in one process (tests) needs
 * its own, so construct a fresh one from the instance's class.
 */
export function loadBlenoBindings(): BlenoBindings {
  const shared = require('@abandonware/bleno/lib/hci-socket/bindings') as BlenoBindings;
  const BindingsClass = shared.constructor as new () => BlenoBindings;
  return new BindingsClass();
}

/** The UART (H4 over a serial port) driver of @stoprocent/bluetooth-hci-socket. */
export function uartSocketClass(): SocketClass {
  const mod = require('@abandonware/bluetooth-hci-socket') as { loadDriver(kind: string): SocketClass };
  return mod.loadDriver('uart');
}
