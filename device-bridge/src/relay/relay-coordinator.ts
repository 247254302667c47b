import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { GattCentral, GattSession } from '../ports/gatt.js';
import type { Logger } from '../ports/logger.js';
import { silentLogger } from '../ports/logger.js';
import type { RelayApi, RelayedBatchResult } from '../ports/relay-api.js';
import { ACK_UUID, BATCH_UUID, decodeBatchFrame, decodeStatus, encodeSelect, RELAY_CHARACTERISTICS, RELAY_SERVICE_UUID, STATUS_UUID } from './relay-gatt-protocol.js';

export interface RelayOptions {
  /** Most batches collected per connection (the backend takes up to 20 per request). */
  maxBatchesPerSession: number;
  /** Timeout of each GATT step. */
  stepTimeoutMs: number;
  /** After a session with a device address, leave it alone this long. */
  cooldownMs: number;
  /** Test seam: runs after the backend answered and before the ack is written back. */
  beforeAck?: () => Promise<void>;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = { maxBatchesPerSession: 20, stepTimeoutMs: 5_000, cooldownMs: 30_000 };

export interface RelayStats {
  sessions: number;
  failedSessions: number;
  batchesCollected: number;
  batchesAccepted: number;
  batchesDuplicate: number;
  batchesRefused: number;
  acksWritten: number;
  lastSessionAt: number | undefined;
  lastError: string | undefined;
}

export type SessionOutcome = { kind: 'relayed'; collected: number; results: RelayedBatchResult[]; ackWritten: boolean; pendingAfter: number | undefined } | { kind: 'failed'; reason: string };

/**
 * The bridge's relay: when a scan report announces a dedicated device with batches pending, it
 * connects (one device at a time), reads the batches over GATT, hands them to the backend, and
 * writes back the acknowledgement of the newest batch the backend stored, which frees that batch
 * and every earlier one on the device. The relay keeps nothing: what it could not deliver stays
 * on the device for the next relay. It sees only sealed envelopes and opaque acks.
 */
export class RelayCoordinator {
  readonly options: RelayOptions;
  private busy = false;
  private readonly lastTried = new Map<string, number>();
  private readonly clock: Clock;
  private readonly log: Logger;
  readonly stats: RelayStats = {
    sessions: 0,
    failedSessions: 0,
    batchesCollected: 0,
    batchesAccepted: 0,
    batchesDuplicate: 0,
    batchesRefused: 0,
    acksWritten: 0,
    lastSessionAt: undefined,
    lastError: undefined,
  };

  constructor(
    private readonly central: GattCentral,
    private readonly api: RelayApi,
    options: Partial<RelayOptions> = {},
    deps: { clock?: Clock; logger?: Logger } = {},
  ) {
    this.options = { ...DEFAULT_RELAY_OPTIONS, ...options };
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger ?? silentLogger;
  }

  /** For the bridge core's onRelayAdvert: starts a session unless one runs or the address cools down. */
  readonly noticed = (address: string): void => {
    const now = this.clock.now();
    if (this.busy || now - (this.lastTried.get(address) ?? -Infinity) < this.options.cooldownMs) return;
    this.lastTried.set(address, now);
    if (this.lastTried.size > 1024) this.lastTried.delete(this.lastTried.keys().next().value!);
    void this.relayFrom(address);
  };

  /** One relay session with the device at `address`. */
  async relayFrom(address: string): Promise<SessionOutcome> {
    if (this.busy) return { kind: 'failed', reason: 'another session is running' };
    this.busy = true;
    this.stats.sessions++;
    this.stats.lastSessionAt = this.clock.now();
    let session: GattSession | undefined;
    try {
      session = await this.central.connect(address, { uuid: RELAY_SERVICE_UUID, characteristics: RELAY_CHARACTERISTICS }, this.options.stepTimeoutMs);
      const outcome = await this.exchange(session);
      this.log.info('relay session', { address, mtu: session.mtu, collected: outcome.collected, accepted: count(outcome.results, 'accepted'), ackWritten: outcome.ackWritten });
      return outcome;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.stats.failedSessions++;
      this.stats.lastError = reason;
      this.log.warn('relay session failed', { address, reason });
      return { kind: 'failed', reason };
    } finally {
      await session?.disconnect().catch(() => {});
      this.busy = false;
    }
  }

  private async exchange(session: GattSession): Promise<Extract<SessionOutcome, { kind: 'relayed' }>> {
    const status = decodeStatus(await session.read(STATUS_UUID));
    if (status === undefined) throw new Error('the device answered with an unknown relay protocol');
    const envelopes: Buffer[] = [];
    for (let index = 0; index < Math.min(status.pending, this.options.maxBatchesPerSession); index++) {
      await session.write(BATCH_UUID, encodeSelect(index));
      const frame = decodeBatchFrame(await session.read(BATCH_UUID), index);
      if ('error' in frame) throw new Error(`batch ${index}: ${frame.error}`);
      envelopes.push(frame.envelope);
    }
    this.stats.batchesCollected += envelopes.length;
    if (envelopes.length === 0) return { kind: 'relayed', collected: 0, results: [], ackWritten: false, pendingAfter: status.pending };
    const upload = await this.api.postRelayBatches(envelopes);
    if (upload.kind === 'retry') throw new Error(`the backend did not take the batches: ${upload.reason}`);
    this.stats.batchesAccepted += count(upload.results, 'accepted');
    this.stats.batchesDuplicate += count(upload.results, 'duplicate');
    this.stats.batchesRefused += count(upload.results, 'rejected');
    // Batches were handed over oldest first: the last ack frees everything up to it.
    const ack = upload.results.filter((r) => r.ack !== undefined).at(-1)?.ack;
    await this.options.beforeAck?.();
    if (ack !== undefined) {
      await session.write(ACK_UUID, ack);
      this.stats.acksWritten++;
    }
    const after = decodeStatus(await session.read(STATUS_UUID));
    return { kind: 'relayed', collected: envelopes.length, results: upload.results, ackWritten: ack !== undefined, pendingAfter: after?.pending };
  }
}

function count(results: readonly RelayedBatchResult[], outcome: RelayedBatchResult['outcome']): number {
  return results.filter((r) => r.outcome === outcome).length;
}
