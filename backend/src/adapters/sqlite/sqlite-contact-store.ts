import type { Contact } from '../../domain/contacts/contact.js';
import type { DeviceNumber } from '../../domain/device.js';
import type { ApplyResult, ContactStore, ContactStoreStats, StoredBatch } from '../../ports/contact-store.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface ContactRow {
  id: string;
  device_low: number;
  device_high: number;
  window_start: number;
  first_seen: number;
  last_seen: number;
  reported_by_low: number;
  reported_by_high: number;
  max_rssi: number | null;
  lat: number | null;
  lon: number | null;
}

/** The same merge as the domain's mergeContacts, done by the engine in one statement. */
const UPSERT = `
  INSERT INTO contacts (id, device_low, device_high, window_start, first_seen, last_seen, reported_by_low, reported_by_high, max_rssi, lat, lon)
  VALUES (@id, @device_low, @device_high, @window_start, @first_seen, @last_seen, @reported_by_low, @reported_by_high, @max_rssi, @lat, @lon)
  ON CONFLICT (id) DO UPDATE SET
    first_seen = min(first_seen, excluded.first_seen),
    last_seen = max(last_seen, excluded.last_seen),
    reported_by_low = reported_by_low | excluded.reported_by_low,
    reported_by_high = reported_by_high | excluded.reported_by_high,
    max_rssi = CASE WHEN max_rssi IS NULL THEN excluded.max_rssi
                    WHEN excluded.max_rssi IS NULL THEN max_rssi
                    ELSE max(max_rssi, excluded.max_rssi) END,
    lat = CASE WHEN lat IS NULL THEN excluded.lat ELSE lat END,
    lon = CASE WHEN lat IS NULL THEN excluded.lon ELSE lon END`;

export class SqliteContactStore implements ContactStore {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  applyBatch(batch: StoredBatch): Promise<ApplyResult> {
    const at = this.now().getTime();
    return this.store.write(() => {
      const claimed = this.store
        .statement('INSERT INTO applied_batches (batch_key, observation_count, applied_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
        .run(batch.batchKey, batch.observationCount, at);
      if (claimed.changes === 0) return { alreadyApplied: true };
      const upsert = this.store.statement(UPSERT);
      for (const contact of batch.contacts) upsert.run(toRow(contact));
      return { alreadyApplied: false };
    });
  }

  async contactsOf(devices: readonly DeviceNumber[], since: Date): Promise<Contact[]> {
    if (devices.length === 0) return [];
    return this.store.read(() => {
      const byLow = this.store.statement('SELECT * FROM contacts WHERE device_low = ? AND last_seen > ?');
      const byHigh = this.store.statement('SELECT * FROM contacts WHERE device_high = ? AND last_seen > ?');
      const seen = new Map<string, Contact>();
      for (const device of new Set(devices)) {
        for (const row of [...byLow.all(device, since.getTime()), ...byHigh.all(device, since.getTime())] as ContactRow[]) {
          seen.set(row.id, fromRow(row));
        }
      }
      return [...seen.values()];
    });
  }

  async contactsBetween(a: DeviceNumber, b: DeviceNumber): Promise<Contact[]> {
    const [low, high] = a < b ? [a, b] : [b, a];
    return this.store.read(() =>
      (this.store.statement('SELECT * FROM contacts WHERE device_low = ? AND device_high = ?').all(low, high) as ContactRow[]).map(fromRow),
    );
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM contacts WHERE device_low = ? OR device_high = ?').run(device, device).changes);
  }

  purgeOlderThan(before: Date): Promise<number> {
    return this.store.write(() => {
      this.store.statement('DELETE FROM applied_batches WHERE applied_at < ?').run(before.getTime());
      return this.store.statement('DELETE FROM contacts WHERE last_seen < ?').run(before.getTime()).changes;
    });
  }

  async stats(): Promise<ContactStoreStats> {
    return this.store.read(() => {
      const contacts = (this.store.statement('SELECT count(*) AS n FROM contacts').get() as { n: number }).n;
      const batches = this.store.statement('SELECT count(*) AS n, coalesce(sum(observation_count), 0) AS o FROM applied_batches').get() as {
        n: number;
        o: number;
      };
      return { contacts, batchesApplied: batches.n, observationsApplied: batches.o };
    });
  }
}

function toRow(contact: Contact): ContactRow {
  return {
    id: contact.id,
    device_low: contact.deviceLow,
    device_high: contact.deviceHigh,
    window_start: contact.windowStartMinute,
    first_seen: contact.firstSeen.getTime(),
    last_seen: contact.lastSeen.getTime(),
    reported_by_low: contact.reportedByLow ? 1 : 0,
    reported_by_high: contact.reportedByHigh ? 1 : 0,
    max_rssi: contact.maxRssi ?? null,
    lat: contact.location?.lat ?? null,
    lon: contact.location?.lon ?? null,
  };
}

function fromRow(row: ContactRow): Contact {
  return {
    id: row.id,
    deviceLow: row.device_low,
    deviceHigh: row.device_high,
    windowStartMinute: row.window_start,
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
    reportedByLow: row.reported_by_low === 1,
    reportedByHigh: row.reported_by_high === 1,
    maxRssi: row.max_rssi ?? undefined,
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : undefined,
  };
}
