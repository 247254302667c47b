/**
 * GATT ports for relaying: the dedicated device serves one service (peripheral), the bridge
 * connects to it and reads and writes its characteristics (central). Adapters: radio/hci (bleno
 * and noble over HCI). UUIDs are 128-bit, lower-case hex without dashes.
 */

/** ATT error the peripheral answers with (0x80–0x9F are the application's). */
export const ATT_SUCCESS = 0x00;
export const ATT_INVALID_OFFSET = 0x07;
export const ATT_UNLIKELY_ERROR = 0x0e;
export const ATT_APPLICATION_ERROR = 0x80;

export interface GattCharacteristicSpec {
  uuid: string;
  /** A long read arrives as reads at increasing offsets; answer the value from `offset` on (the adapter cuts to the MTU). */
  onRead?: (offset: number) => Promise<{ result: number; data?: Buffer }>;
  /** A write with response (long writes arrive joined). */
  onWrite?: (data: Buffer) => Promise<number>;
}

export interface GattServiceSpec {
  uuid: string;
  characteristics: GattCharacteristicSpec[];
}

export type PeripheralEvent = { type: 'connected'; central: string } | { type: 'disconnected'; central: string } | { type: 'mtu'; mtu: number };

export interface GattPeripheral {
  /** Serves the service; connections arrive while the radio advertises connectably. */
  serve(service: GattServiceSpec): Promise<void>;
  onEvent(listener: (event: PeripheralEvent) => void): () => void;
  /** Ends the current connection, if any. */
  disconnect(): void;
}

export interface GattSession {
  /** The ATT MTU agreed for this connection. */
  readonly mtu: number;
  /** A long read: the whole value, as many Read Blob requests as the MTU needs. */
  read(characteristic: string): Promise<Buffer>;
  /** A write with response; rejects on timeout (an ATT error is never answered by the host library). */
  write(characteristic: string, data: Buffer): Promise<void>;
  disconnect(): Promise<void>;
}

export interface GattCentral {
  /** Connects to the device advertising from `address`, exchanges the MTU and discovers the service. */
  connect(address: string, service: { uuid: string; characteristics: readonly string[] }, timeoutMs: number): Promise<GattSession>;
}
