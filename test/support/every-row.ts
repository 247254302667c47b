import type { EmbeddedServices } from '../../backend/src/composition/embedded.js';

/** Every row of every table of the embedded file, as text, with the table it came from. */
export function everyRow(s: EmbeddedServices): { table: string; text: string }[] {
  const db = s.database.db;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
  return tables.flatMap((table) => (db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((row) => ({ table, text: JSON.stringify(row) })));
}
