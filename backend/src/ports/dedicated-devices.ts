import type { DeviceNumber } from '../domain/device.js';
import type { ChainHead, Gap, PastSeq } from '../domain/relay/relay-chain.js';

/** A BLE-only device registered by its owner; its batches reach us through relays. */
export interface DedicatedDevice {
  deviceId: string;
  /** The directory device its tokens were issued to; its contacts are reported as this device. */
  deviceNumber: DeviceNumber;
  /** Ed25519, 32 raw bytes: verifies the device's batches. */
  publicKey: Buffer;
  /** The owner's phone number, encrypted by the application before it reaches the adapter. */
  ownerPhoneSealed: string;
  registeredAt: Date;
  /** End of the last token window issued to it. */
  bundleUntil: Date;
  chain: ChainHead;
  lastDeliveryAt?: Date | undefined;
  /** Delivery lag of the newest accepted batch: received − sealed on the device. */
  lastLagMs?: number | undefined;
  /** Personal data (the sealed phone number) is kept until then, and extended by activity. */
  keepUntil: Date;
}

export type NewDedicatedDevice = Omit<DedicatedDevice, 'chain' | 'lastDeliveryAt' | 'lastLagMs'>;

/** One accepted batch, recorded with the chain advance that it causes. */
export interface AcceptedDelivery {
  deviceId: string;
  seq: number;
  batchHash: Buffer;
  /** The chain must still end here, or another delivery of this seq won the race. */
  expectedHighestSeq: number;
  dropped: number;
  createdAt: Date;
  receivedAt: Date;
  gap?: Gap | undefined;
  /** The registration's (and the receipt's) new keepUntil; callers pass the later of the old one and now + retention. */
  keepUntil: Date;
}

/** How a delivery ended, as counted per relay. */
export type DeliveryOutcome = 'accepted' | 'duplicate' | string;

export interface RelayCounter {
  /** The relay's pseudonym, never its account. */
  relay: string;
  outcome: DeliveryOutcome;
  count: number;
  lastAt: Date;
}

export interface RecordedGap extends Gap {
  deviceId: string;
  recordedAt: Date;
}

/** Dedicated devices, their chains, what relays delivered and the gaps. */
export interface DedicatedDeviceRegistry {
  /** Rejects with DedicatedDeviceExistsError when the id or the device number is taken. */
  register(device: NewDedicatedDevice): Promise<void>;
  find(deviceId: string): Promise<DedicatedDevice | undefined>;
  findByNumber(deviceNumber: DeviceNumber): Promise<DedicatedDevice | undefined>;
  /** A fresh token bundle was issued: the registration lives on until `keepUntil`. */
  extendBundle(deviceId: string, bundleUntil: Date, keepUntil: Date): Promise<void>;
  /** What is known of an earlier seq of the device. */
  pastSeq(deviceId: string, seq: number): Promise<PastSeq>;
  /** Advances the chain atomically with the batch's receipt (and its gap); false when the chain moved meanwhile. */
  recordAccepted(delivery: AcceptedDelivery): Promise<boolean>;
  /** True the first time an envelope is seen: the same sealed bytes again are a replay. */
  recordEnvelope(envelopeHash: Buffer, keepUntil: Date): Promise<boolean>;
  countDelivery(relay: string, outcome: DeliveryOutcome, at: Date, keepUntil: Date): Promise<void>;
  listDevices(): Promise<DedicatedDevice[]>;
  listGaps(): Promise<RecordedGap[]>;
  listCounters(): Promise<RelayCounter[]>;
  /**
   * Erasure: the device's receipts and gaps, then its registration (key, sealed owner number), so
   * that a failure halfway leaves the registration to verify a retry with. Returns what it deleted.
   */
  forget(deviceId: string): Promise<number>;
  /** Drops what is kept only until before `now` (registrations, receipts, gaps, envelopes, counters). */
  purgeExpired(now: Date): Promise<number>;
}

export class DedicatedDeviceExistsError extends Error {
  constructor(readonly deviceId: string) {
    super(`dedicated device ${deviceId} (or its device number) is already registered`);
    this.name = 'DedicatedDeviceExistsError';
  }
}
