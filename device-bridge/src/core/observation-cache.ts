import { TOKEN_LENGTH } from '../ble/advert-layout.js';
import type { CheckpointEntry, WireObservation } from '../ports/outbox-store.js';

/** One encounter with one token: extended by every sighting until it goes idle or too old. */
export interface Observation {
  /** The 16 token bytes as a latin1 string (one V8 one-byte string per token, made once). */
  key: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  rssiMax: number;
  rssiMin: number;
  rssiSum: number;
}

export interface ObservationCacheOptions {
  /** Upper bound on open observations; beyond it the one opened first is finished early. */
  maxEntries: number;
  /** An observation not seen for this long is finished. */
  idleMs: number;
  /** An observation is finished after this long even if still seen (the token lifetime). */
  maxDurationMs: number;
}

export const DEFAULT_CACHE_OPTIONS: ObservationCacheOptions = {
  maxEntries: 200_000,
  idleMs: 5 * 60_000,
  maxDurationMs: 180 * 60_000,
};

export type FinishedSink = (finished: Observation[]) => void;

/**
 * Per-token observations with de-duplication. A token seen again while its observation is open
 * extends it (count, last seen, RSSI statistics) instead of creating a new one.
 *
 * Memory layout: a Map from the token key to a slot number, and one typed array per field
 * (struct of arrays). About 80 bytes per open observation instead of ~180 for an object per token,
 * and nothing for the GC to trace. Hot path: {@link sight} does one Map lookup; for a known token
 * the only allocation is the 16-char key string.
 */
export class ObservationCache {
  private readonly index = new Map<string, number>();
  private readonly options: ObservationCacheOptions;
  private capacity = 0;
  private nextSlot = 0;
  private readonly freeSlots: number[] = [];
  private firstSeen = new Float64Array(0);
  private lastSeen = new Float64Array(0);
  private count = new Uint32Array(0);
  private rssiSum = new Int32Array(0);
  private rssiMax = new Int16Array(0);
  private rssiMin = new Int16Array(0);
  evictedForCapacity = 0;

  constructor(
    private readonly onFinished: FinishedSink,
    options: Partial<ObservationCacheOptions> = {},
  ) {
    this.options = { ...DEFAULT_CACHE_OPTIONS, ...options };
    this.grow(Math.min(1024, this.options.maxEntries));
  }

  get size(): number {
    return this.index.size;
  }

  /** Records a sighting of the token at data[offset..offset+16). */
  sight(data: Uint8Array, offset: number, rssi: number, now: number): void {
    const key = tokenKey(data, offset);
    const slot = this.index.get(key);
    if (slot !== undefined) {
      this.lastSeen[slot] = now;
      this.count[slot]!++;
      this.rssiSum[slot]! += rssi;
      if (rssi > this.rssiMax[slot]!) this.rssiMax[slot] = rssi;
      if (rssi < this.rssiMin[slot]!) this.rssiMin[slot] = rssi;
      return;
    }
    this.open(key, now, now, 1, rssi, rssi, rssi);
  }

  /** Finishes idle and over-long observations; call every few seconds. Returns how many finished. */
  sweep(now: number): number {
    const { idleMs, maxDurationMs } = this.options;
    const finished: Observation[] = [];
    for (const [key, slot] of this.index) {
      if (now - this.lastSeen[slot]! >= idleMs || now - this.firstSeen[slot]! >= maxDurationMs) {
        finished.push(this.close(key, slot));
      }
    }
    if (finished.length > 0) this.onFinished(finished);
    return finished.length;
  }

  /** Finishes every open observation (shutdown). */
  finishAll(): number {
    const finished: Observation[] = [];
    for (const [key, slot] of this.index) finished.push(this.close(key, slot));
    if (finished.length > 0) this.onFinished(finished);
    return finished.length;
  }

  checkpoint(): CheckpointEntry[] {
    const out: CheckpointEntry[] = [];
    for (const [key, slot] of this.index) {
      const o = this.read(key, slot);
      out.push({ token: keyToToken(key), firstSeen: o.firstSeen, lastSeen: o.lastSeen, count: o.count, rssiMax: o.rssiMax, rssiMin: o.rssiMin, rssiSum: o.rssiSum });
    }
    return out;
  }

  restore(entries: readonly CheckpointEntry[]): void {
    for (const e of entries) {
      const key = tokenToKey(e.token);
      if (key === undefined || this.index.has(key)) continue;
      this.open(key, e.firstSeen, e.lastSeen, e.count, e.rssiSum, e.rssiMax, e.rssiMin);
    }
  }

  /** A copy of the open observation for `token` (base64url), if any. */
  get(token: string): Observation | undefined {
    const key = tokenToKey(token);
    const slot = key === undefined ? undefined : this.index.get(key);
    return slot === undefined ? undefined : this.read(key!, slot);
  }

  private open(key: string, firstSeen: number, lastSeen: number, count: number, rssiSum: number, rssiMax: number, rssiMin: number): void {
    if (this.index.size >= this.options.maxEntries) this.evictOldest();
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      if (this.nextSlot === this.capacity) this.grow(Math.min(this.capacity * 2, this.options.maxEntries));
      slot = this.nextSlot++;
    }
    this.firstSeen[slot] = firstSeen;
    this.lastSeen[slot] = lastSeen;
    this.count[slot] = count;
    this.rssiSum[slot] = rssiSum;
    this.rssiMax[slot] = rssiMax;
    this.rssiMin[slot] = rssiMin;
    this.index.set(key, slot);
  }

  private read(key: string, slot: number): Observation {
    return {
      key,
      firstSeen: this.firstSeen[slot]!,
      lastSeen: this.lastSeen[slot]!,
      count: this.count[slot]!,
      rssiMax: this.rssiMax[slot]!,
      rssiMin: this.rssiMin[slot]!,
      rssiSum: this.rssiSum[slot]!,
    };
  }

  private close(key: string, slot: number): Observation {
    const o = this.read(key, slot);
    this.index.delete(key);
    this.freeSlots.push(slot);
    return o;
  }

  private grow(capacity: number): void {
    const grow = <T extends Float64Array | Uint32Array | Int32Array | Int16Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old as never);
      return next;
    };
    this.firstSeen = grow(this.firstSeen, (n) => new Float64Array(n));
    this.lastSeen = grow(this.lastSeen, (n) => new Float64Array(n));
    this.count = grow(this.count, (n) => new Uint32Array(n));
    this.rssiSum = grow(this.rssiSum, (n) => new Int32Array(n));
    this.rssiMax = grow(this.rssiMax, (n) => new Int16Array(n));
    this.rssiMin = grow(this.rssiMin, (n) => new Int16Array(n));
    this.capacity = capacity;
  }

  private evictOldest(): void {
    // Map iteration order is insertion order: the first entry is the observation opened earliest.
    for (const [key, slot] of this.index) {
      this.evictedForCapacity++;
      this.onFinished([this.close(key, slot)]);
      return;
    }
  }
}

/** 16 bytes → 16-char latin1 string. Cheaper than hex or base64 and unique per byte sequence. */
export function tokenKey(data: Uint8Array, offset: number): string {
  const d = data;
  const o = offset;
  if (o < 0 || o + TOKEN_LENGTH > d.length) throw new RangeError('token out of bounds');
  // One flat string in one call; no intermediate cons-strings.
  return String.fromCharCode(
    d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!, d[o + 5]!, d[o + 6]!, d[o + 7]!,
    d[o + 8]!, d[o + 9]!, d[o + 10]!, d[o + 11]!, d[o + 12]!, d[o + 13]!, d[o + 14]!, d[o + 15]!,
  );
}

export function keyToToken(key: string): string {
  return Buffer.from(key, 'latin1').toString('base64url');
}

export function tokenToKey(token: string): string | undefined {
  const bytes = Buffer.from(token, 'base64url');
  return bytes.length === TOKEN_LENGTH ? bytes.toString('latin1') : undefined;
}

/**
 * What the backend receives (API v1.1): `rssi` is the strongest RSSI seen (closest approach),
 * `rssiMean` the mean over the sightings (what the backend scores proximity with, so that a brief
 * strong moment does not stand for a long weak encounter), both clamped to the API's -127..20 dBm,
 * and `sightings` how many advertisements were heard.
 */
export function toWire(o: Observation): WireObservation {
  const clamp = (dbm: number) => Math.max(-127, Math.min(20, dbm));
  const rssi = clamp(Math.round(o.rssiMax));
  return {
    token: keyToToken(o.key),
    firstSeen: new Date(o.firstSeen).toISOString(),
    lastSeen: new Date(o.lastSeen).toISOString(),
    rssi,
    rssiMean: Math.min(rssi, clamp(Math.round((o.rssiSum / o.count) * 10) / 10)),
    sightings: o.count,
  };
}
