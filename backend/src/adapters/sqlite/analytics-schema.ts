/**
 * The embedded analytics store's own file (DATA_DIR/analytics.sqlite), apart from the operational
 * one: pseudonymous records, each as its JSON document with the columns queries and retention need,
 * and the figure documents. Bump by adding a step, as the operational schema does.
 */
export const ANALYTICS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE cases (id TEXT PRIMARY KEY, device TEXT NOT NULL, at INTEGER NOT NULL, record TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX cases_device ON cases (device);
  CREATE INDEX cases_at ON cases (at);
  CREATE TABLE notifications (id TEXT PRIMARY KEY, device TEXT NOT NULL, at INTEGER NOT NULL, record TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX notifications_device ON notifications (device);
  CREATE INDEX notifications_at ON notifications (at);
  CREATE TABLE encounters (id TEXT PRIMARY KEY, device TEXT NOT NULL, device_other TEXT NOT NULL, at INTEGER NOT NULL, record TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX encounters_device ON encounters (device);
  CREATE INDEX encounters_device_other ON encounters (device_other);
  CREATE INDEX encounters_at ON encounters (at);
  CREATE TABLE activity (id TEXT PRIMARY KEY, device TEXT NOT NULL, at INTEGER NOT NULL, record TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX activity_device ON activity (device);
  CREATE INDEX activity_at ON activity (at);
  CREATE TABLE figures (id TEXT PRIMARY KEY, kind TEXT NOT NULL, week_start INTEGER NOT NULL, region TEXT NOT NULL, degree INTEGER, document TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX figures_week ON figures (kind, week_start);
  `,
];
