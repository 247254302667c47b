import type { DeviceNumber } from '../../domain/device.js';
import type { PastSeq } from '../../domain/relay/relay-chain.js';
import {
  DedicatedDeviceExistsError,
  type AcceptedDelivery,
  type DedicatedDevice,
  type DedicatedDeviceRegistry,
  type DeliveryOutcome,
  type NewDedicatedDevice,
  type RecordedGap,
  type RelayCounter,
} from '../../ports/dedicated-devices.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface DeviceRow {
  device_id: string;
  device_number: number;
  public_key: Buffer;
  owner_phone_sealed: string;
  registered_at: number;
  bundle_until: number;
  highest_seq: number;
  head_hash: Buffer;
  dropped_reported: number;
  last_delivery_at: number | null;
  last_lag_ms: number | null;
  keep_until: number;
}

/** Dedicated devices and relay bookkeeping in the embedded SQLite file. */
export class SqliteDedicatedDevices implements DedicatedDeviceRegistry {
  constructor(private readonly store: SqliteDatabase) {}

  async register(d: NewDedicatedDevice): Promise<void> {
    try {
      await this.store.write(() =>
        this.store
          .statement(
            `INSERT INTO dedicated_devices (device_id, device_number, public_key, owner_phone_sealed, registered_at, bundle_until, head_hash, keep_until)
             VALUES (?, ?, ?, ?, ?, ?, zeroblob(32), ?)`,
          )
          .run(d.deviceId, d.deviceNumber, d.publicKey, d.ownerPhoneSealed, d.registeredAt.getTime(), d.bundleUntil.getTime(), d.keepUntil.getTime()),
      );
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new DedicatedDeviceExistsError(d.deviceId);
      throw error;
    }
  }

  async find(deviceId: string): Promise<DedicatedDevice | undefined> {
    const row = this.store.read(() => this.store.statement('SELECT * FROM dedicated_devices WHERE device_id = ?').get(deviceId) as DeviceRow | undefined);
    return row && fromRow(row);
  }

  async findByNumber(deviceNumber: DeviceNumber): Promise<DedicatedDevice | undefined> {
    const row = this.store.read(() => this.store.statement('SELECT * FROM dedicated_devices WHERE device_number = ?').get(deviceNumber) as DeviceRow | undefined);
    return row && fromRow(row);
  }

  async extendBundle(deviceId: string, bundleUntil: Date, keepUntil: Date): Promise<void> {
    await this.store.write(() =>
      this.store
        .statement('UPDATE dedicated_devices SET bundle_until = MAX(bundle_until, ?), keep_until = MAX(keep_until, ?) WHERE device_id = ?')
        .run(bundleUntil.getTime(), keepUntil.getTime(), deviceId),
    );
  }

  async pastSeq(deviceId: string, seq: number): Promise<PastSeq> {
    return this.store.read(() => {
      const batch = this.store.statement('SELECT batch_hash FROM relay_batches WHERE device_id = ? AND seq = ?').get(deviceId, seq) as { batch_hash: Buffer } | undefined;
      if (batch) return { kind: 'accepted', hash: batch.batch_hash };
      const gap = this.store.statement('SELECT 1 FROM relay_gaps WHERE device_id = ? AND from_seq <= ? AND to_seq >= ?').get(deviceId, seq, seq);
      return gap ? { kind: 'gap' } : { kind: 'unknown' };
    });
  }

  recordAccepted(d: AcceptedDelivery): Promise<boolean> {
    return this.store.write(() => {
      const advanced = this.store
        .statement(
          `UPDATE dedicated_devices SET highest_seq = ?, head_hash = ?, dropped_reported = ?, last_delivery_at = ?, last_lag_ms = ?,
             keep_until = MAX(keep_until, ?) WHERE device_id = ? AND highest_seq = ?`,
        )
        .run(d.seq, d.batchHash, d.dropped, d.receivedAt.getTime(), d.receivedAt.getTime() - d.createdAt.getTime(), d.keepUntil.getTime(), d.deviceId, d.expectedHighestSeq);
      if (advanced.changes !== 1) return false;
      this.store
        .statement('INSERT INTO relay_batches (device_id, seq, batch_hash, accepted_at, keep_until) VALUES (?, ?, ?, ?, ?)')
        .run(d.deviceId, d.seq, d.batchHash, d.receivedAt.getTime(), d.keepUntil.getTime());
      if (d.gap) {
        this.store
          .statement('INSERT INTO relay_gaps (device_id, from_seq, to_seq, dropped_by_device, recorded_at, keep_until) VALUES (?, ?, ?, ?, ?, ?)')
          .run(d.deviceId, d.gap.fromSeq, d.gap.toSeq, d.gap.droppedByDevice, d.receivedAt.getTime(), d.keepUntil.getTime());
      }
      return true;
    });
  }

  recordEnvelope(envelopeHash: Buffer, keepUntil: Date): Promise<boolean> {
    return this.store.write(
      () => this.store.statement('INSERT INTO relay_envelopes (envelope_hash, keep_until) VALUES (?, ?) ON CONFLICT DO NOTHING').run(envelopeHash, keepUntil.getTime()).changes === 1,
    );
  }

  async countDelivery(relay: string, outcome: DeliveryOutcome, at: Date, keepUntil: Date): Promise<void> {
    await this.store.write(() =>
      this.store
        .statement(
          `INSERT INTO relay_counters (relay, outcome, count, last_at, keep_until) VALUES (?, ?, 1, ?, ?)
           ON CONFLICT (relay, outcome) DO UPDATE SET count = count + 1, last_at = MAX(last_at, excluded.last_at), keep_until = MAX(keep_until, excluded.keep_until)`,
        )
        .run(relay, outcome, at.getTime(), keepUntil.getTime()),
    );
  }

  async listDevices(): Promise<DedicatedDevice[]> {
    return this.store.read(() => (this.store.statement('SELECT * FROM dedicated_devices ORDER BY registered_at').all() as DeviceRow[]).map(fromRow));
  }

  async listGaps(): Promise<RecordedGap[]> {
    const rows = this.store.read(
      () => this.store.statement('SELECT * FROM relay_gaps ORDER BY device_id, from_seq').all() as {
        device_id: string;
        from_seq: number;
        to_seq: number;
        dropped_by_device: number;
        recorded_at: number;
      }[],
    );
    return rows.map((r) => ({ deviceId: r.device_id, fromSeq: r.from_seq, toSeq: r.to_seq, droppedByDevice: r.dropped_by_device, recordedAt: new Date(r.recorded_at) }));
  }

  async listCounters(): Promise<RelayCounter[]> {
    const rows = this.store.read(
      () => this.store.statement('SELECT relay, outcome, count, last_at FROM relay_counters ORDER BY relay, outcome').all() as {
        relay: string;
        outcome: string;
        count: number;
        last_at: number;
      }[],
    );
    return rows.map((r) => ({ relay: r.relay, outcome: r.outcome, count: r.count, lastAt: new Date(r.last_at) }));
  }

  forget(deviceId: string): Promise<number> {
    return this.store.write(() =>
      ['relay_batches', 'relay_gaps', 'dedicated_devices']
        .map((table) => this.store.statement(`DELETE FROM ${table} WHERE device_id = ?`).run(deviceId).changes)
        .reduce((a, b) => a + b, 0),
    );
  }

  purgeExpired(now: Date): Promise<number> {
    return this.store.write(() =>
      ['dedicated_devices', 'relay_batches', 'relay_gaps', 'relay_envelopes', 'relay_counters']
        .map((table) => this.store.statement(`DELETE FROM ${table} WHERE keep_until < ?`).run(now.getTime()).changes)
        .reduce((a, b) => a + b, 0),
    );
  }
}

function fromRow(r: DeviceRow): DedicatedDevice {
  return {
    deviceId: r.device_id,
    deviceNumber: r.device_number,
    publicKey: Buffer.from(r.public_key),
    ownerPhoneSealed: r.owner_phone_sealed,
    registeredAt: new Date(r.registered_at),
    bundleUntil: new Date(r.bundle_until),
    chain: { highestSeq: r.highest_seq, headHash: Buffer.from(r.head_hash), droppedReported: r.dropped_reported },
    lastDeliveryAt: r.last_delivery_at === null ? undefined : new Date(r.last_delivery_at),
    lastLagMs: r.last_lag_ms ?? undefined,
    keepUntil: new Date(r.keep_until),
  };
}
