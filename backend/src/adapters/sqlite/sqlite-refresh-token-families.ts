import type { RefreshFamily, RefreshTokenFamilies } from '../../ports/refresh-token-families.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface Row {
  id: string;
  subject: string;
  generation: number;
  secret_hash: string;
  upstream: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export class SqliteRefreshTokenFamilies implements RefreshTokenFamilies {
  constructor(private readonly store: SqliteDatabase) {}

  async create(f: RefreshFamily): Promise<void> {
    await this.store.write(() => {
      this.store
        .statement(
          `INSERT INTO refresh_families (id, subject, generation, secret_hash, upstream, created_at, expires_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(f.id, f.subject, f.generation, f.secretHash, f.upstream ?? null, f.createdAt.getTime(), f.expiresAt.getTime(), f.revokedAt?.getTime() ?? null);
    });
  }

  async find(id: string): Promise<RefreshFamily | undefined> {
    const row = this.store.read(() => this.store.statement('SELECT * FROM refresh_families WHERE id = ?').get(id) as Row | undefined);
    return row && {
      id: row.id,
      subject: row.subject,
      generation: row.generation,
      secretHash: row.secret_hash,
      upstream: row.upstream ?? undefined,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
      revokedAt: row.revoked_at === null ? undefined : new Date(row.revoked_at),
    };
  }

  advance(id: string, fromGeneration: number, next: { secretHash: string; upstream?: string | undefined }): Promise<boolean> {
    return this.store.write(
      () =>
        this.store
          .statement(
            `UPDATE refresh_families SET generation = generation + 1, secret_hash = ?, upstream = ?
             WHERE id = ? AND generation = ? AND revoked_at IS NULL`,
          )
          .run(next.secretHash, next.upstream ?? null, id, fromGeneration).changes === 1,
    );
  }

  async revoke(id: string, now: Date): Promise<void> {
    await this.store.write(() => {
      this.store.statement('UPDATE refresh_families SET revoked_at = ?, upstream = NULL WHERE id = ? AND revoked_at IS NULL').run(now.getTime(), id);
    });
  }

  revokeAllOf(subject: string, now: Date): Promise<number> {
    return this.store.write(
      () =>
        this.store
          .statement('UPDATE refresh_families SET revoked_at = ?, upstream = NULL WHERE subject = ? AND revoked_at IS NULL AND expires_at > ?')
          .run(now.getTime(), subject, now.getTime()).changes,
    );
  }

  deleteAllOf(subject: string): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM refresh_families WHERE subject = ?').run(subject).changes);
  }

  purgeExpired(now: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM refresh_families WHERE expires_at <= ?').run(now.getTime()).changes);
  }
}
