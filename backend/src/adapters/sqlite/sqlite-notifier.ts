import type { DeviceNumber } from '../../domain/device.js';
import type { ExposureNotification } from '../../domain/exposure/notification.js';
import type { Notifier } from '../../ports/notifier.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface NotificationRow {
  id: string;
  case_id: string;
  device: number;
  degree: number;
  probability: number;
  exposed_at: number;
  issued_at: number;
}

/** Stores notifications for the device to fetch; `onDelivered` is told of each new one (the local log). */
export class SqliteNotifier implements Notifier {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly onDelivered: (notification: ExposureNotification) => void = () => {},
  ) {}

  async deliver(notifications: readonly ExposureNotification[]): Promise<ExposureNotification[]> {
    const delivered = await this.store.write(() => {
      const insert = this.store.statement(
        `INSERT INTO notifications (id, case_id, device, degree, probability, exposed_at, issued_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, device) DO NOTHING`,
      );
      return notifications.filter(
        (n) => insert.run(n.id, n.caseId, n.device, n.degree, n.probability, n.exposedAt.getTime(), n.issuedAt.getTime()).changes === 1,
      );
    });
    delivered.forEach(this.onDelivered);
    return delivered;
  }

  async listFor(device: DeviceNumber): Promise<ExposureNotification[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT * FROM notifications WHERE device = ? ORDER BY issued_at').all(device) as NotificationRow[]).map(fromRow),
    );
  }

  async listSpreading(since: Date, maxDegree: number): Promise<ExposureNotification[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT * FROM notifications WHERE exposed_at >= ? AND degree < ?').all(since.getTime(), maxDegree) as NotificationRow[]).map(
        fromRow,
      ),
    );
  }

  async notifiedDevices(caseId: string): Promise<DeviceNumber[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT device FROM notifications WHERE case_id = ?').all(caseId) as { device: number }[]).map((r) => r.device),
    );
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM notifications WHERE device = ?').run(device).changes);
  }

  purgeOlderThan(before: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM notifications WHERE issued_at < ?').run(before.getTime()).changes);
  }
}

function fromRow(row: NotificationRow): ExposureNotification {
  return {
    id: row.id,
    caseId: row.case_id,
    device: row.device,
    degree: row.degree,
    probability: row.probability,
    exposedAt: new Date(row.exposed_at),
    issuedAt: new Date(row.issued_at),
  };
}
