import { contactSpan, type Contact } from '../../domain/contacts/contact.js';
import { mergeIntervalSets } from '../../domain/contacts/sighting-interval.js';
import type { DeviceNumber } from '../../domain/device.js';
import type { ApplyResult, ContactStore, ContactStoreStats, ReporterUploads, StoredBatch } from '../../ports/contact-store.js';
import { decodeIntervals, encodeIntervals, type EncodedInterval } from '../interval-codec.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface ContactRow {
  id: string;
  device_low: number;
  device_high: number;
  window_start: number;
  first_seen: number;
  last_seen: number;
  intervals: string;
  lat: number | null;
  lon: number | null;
}

/**
 * The merge is the domain's own (mergeIntervalSets), registered as an SQL function, so the engine
 * runs the one rule in the upsert instead of a copy of it in SQL. first_seen and last_seen are the
 * span of the intervals, kept as columns for the indexes.
 */
const UPSERT = `
  INSERT INTO contacts (id, device_low, device_high, window_start, first_seen, last_seen, intervals, lat, lon)
  VALUES (@id, @device_low, @device_high, @window_start, @first_seen, @last_seen, @intervals, @lat, @lon)
  ON CONFLICT (id) DO UPDATE SET
    first_seen = min(first_seen, excluded.first_seen),
    last_seen = max(last_seen, excluded.last_seen),
    intervals = proxitrace_merge_intervals(intervals, excluded.intervals),
    lat = CASE WHEN lat IS NULL OR (excluded.lat IS NOT NULL AND (excluded.lat < lat OR (excluded.lat = lat AND excluded.lon < lon))) THEN excluded.lat ELSE lat END,
    lon = CASE WHEN lat IS NULL OR (excluded.lat IS NOT NULL AND (excluded.lat < lat OR (excluded.lat = lat AND excluded.lon < lon))) THEN excluded.lon ELSE lon END`;

const PAGE_SIZE = 1000;

export class SqliteContactStore implements ContactStore {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {
    store.db.function('proxitrace_merge_intervals', { deterministic: true }, (a: unknown, b: unknown) =>
      JSON.stringify(encodeIntervals(mergeIntervalSets(parseIntervals(a), parseIntervals(b)))),
    );
  }

  applyBatch(batch: StoredBatch): Promise<ApplyResult> {
    const at = this.now().getTime();
    return this.store.write(() => {
      const claimed = this.store
        .statement('INSERT INTO applied_batches (batch_key, observation_count, applied_at, reporter) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(batch.batchKey, batch.observationCount, at, batch.reporter);
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
          if (!seen.has(row.id)) seen.set(row.id, fromRow(row));
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

  async *contactPagesDuring(from: Date, until: Date): AsyncIterable<Contact[]> {
    const page = this.store.statement('SELECT * FROM contacts WHERE id > ? AND last_seen >= ? AND first_seen < ? ORDER BY id LIMIT ?');
    let after = '';
    for (;;) {
      const rows = this.store.read(() => page.all(after, from.getTime(), until.getTime(), PAGE_SIZE) as ContactRow[]);
      if (rows.length > 0) yield rows.map(fromRow);
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async uploadsDuring(from: Date, until: Date): Promise<ReporterUploads[]> {
    const rows = this.store.read(
      () =>
        this.store
          .statement(
            'SELECT reporter, count(*) AS uploads, sum(observation_count) AS observations, max(applied_at) AS last FROM applied_batches WHERE applied_at >= ? AND applied_at < ? AND reporter IS NOT NULL GROUP BY reporter',
          )
          .all(from.getTime(), until.getTime()) as { reporter: number; uploads: number; observations: number; last: number }[],
    );
    return rows.map((r) => ({ reporter: r.reporter, uploads: r.uploads, observations: r.observations, lastUploadAt: new Date(r.last) }));
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.store.write(() => {
      this.store.statement('DELETE FROM applied_batches WHERE reporter = ?').run(device);
      return this.store.statement('DELETE FROM contacts WHERE device_low = ? OR device_high = ?').run(device, device).changes;
    });
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

function parseIntervals(value: unknown): ReturnType<typeof decodeIntervals> {
  return typeof value === 'string' ? decodeIntervals(JSON.parse(value) as EncodedInterval[]) : [];
}

function toRow(contact: Contact): ContactRow {
  const { firstSeen, lastSeen } = contactSpan(contact);
  return {
    id: contact.id,
    device_low: contact.deviceLow,
    device_high: contact.deviceHigh,
    window_start: contact.windowStartMinute,
    first_seen: firstSeen,
    last_seen: lastSeen,
    intervals: JSON.stringify(encodeIntervals(contact.intervals)),
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
    intervals: decodeIntervals(JSON.parse(row.intervals) as EncodedInterval[]),
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : undefined,
  };
}
