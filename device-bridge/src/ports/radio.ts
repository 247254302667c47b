import type { GattCentral, GattPeripheral } from './gatt.js';

/**
 * The Radio port: everything the bridge core needs from a BLE stack. Adapters: radio/sim (in-memory
 * air) and radio/hci (noble + bleno). Both pass test/device-bridge/radio/radio-contract.ts.
 */
export type ReportListener = (data: Uint8Array, rssi: number, address: string) => void;

export interface AdvertiseOptions {
  /**
   * Pick a fresh random address before advertising this payload, so the address cannot link it to
   * the previous one. Adapters stop advertising, change the address, then advertise again.
   */
  rotateAddress?: boolean;
  /** Advertise connectable (ADV_IND) so that a relay can connect; default non-connectable (ADV_NONCONN_IND). */
  connectable?: boolean;
}

export interface Radio {
  readonly kind: string;
  /** Powers the radio up; resolves when it can advertise and scan. */
  start(): Promise<void>;
  /** Advertises `payload` (raw AD structures, ≤ 31 bytes), replacing what was advertised before. */
  advertise(payload: Uint8Array, options?: AdvertiseOptions): Promise<void>;
  stopAdvertising(): Promise<void>;
  /** Scans with duplicates allowed: every received advertisement is reported. */
  startScan(): Promise<void>;
  stopScan(): Promise<void>;
  /** Subscribes to advertisement reports; returns the unsubscribe function. */
  onReport(listener: ReportListener): () => void;
  /** The address currently advertised from, or undefined when not advertising. */
  advertisingAddress(): string | undefined;
  close(): Promise<void>;
  /** The GATT roles this adapter can play (relaying); absent where the radio has none. */
  gattPeripheral?(): GattPeripheral;
  gattCentral?(): GattCentral;
}
