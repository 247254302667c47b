/**
 * The embedded store's schema: one SQLite file holds every table. Times are epoch milliseconds.
 * Bump SCHEMA_VERSION and add a step to MIGRATIONS to change it; steps run in order, once.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE devices (
    subject TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE erased_devices (
    number INTEGER PRIMARY KEY,
    erased_at INTEGER NOT NULL
  );
  CREATE INDEX erased_devices_at ON erased_devices (erased_at);

  CREATE TABLE token_issuances (
    device INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    valid_until INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    PRIMARY KEY (device, window_start)
  ) WITHOUT ROWID;
  CREATE INDEX token_issuances_valid_until ON token_issuances (valid_until);

  CREATE TABLE batch_receipts (
    dedup_key TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    accepted_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX batch_receipts_accepted_at ON batch_receipts (accepted_at);

  CREATE TABLE queue_messages (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    first_received_at INTEGER,
    receipt TEXT
  );
  CREATE INDEX queue_messages_visible_at ON queue_messages (visible_at);

  CREATE TABLE dead_letters (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failed_at INTEGER NOT NULL
  );

  CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    device_low INTEGER NOT NULL,
    device_high INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    reported_by_low INTEGER NOT NULL,
    reported_by_high INTEGER NOT NULL,
    max_rssi INTEGER,
    lat REAL,
    lon REAL
  ) WITHOUT ROWID;
  CREATE INDEX contacts_low ON contacts (device_low, last_seen);
  CREATE INDEX contacts_high ON contacts (device_high, last_seen);
  CREATE INDEX contacts_last_seen ON contacts (last_seen);

  CREATE TABLE applied_batches (
    batch_key TEXT PRIMARY KEY,
    observation_count INTEGER NOT NULL,
    applied_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX applied_batches_applied_at ON applied_batches (applied_at);

  CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    device INTEGER NOT NULL,
    degree INTEGER NOT NULL,
    probability REAL NOT NULL,
    exposed_at INTEGER NOT NULL,
    issued_at INTEGER NOT NULL,
    UNIQUE (case_id, device)
  );
  CREATE INDEX notifications_device ON notifications (device);
  CREATE INDEX notifications_issued_at ON notifications (issued_at);

  CREATE TABLE infection_cases (
    id TEXT PRIMARY KEY,
    device INTEGER NOT NULL,
    reported_at INTEGER NOT NULL,
    symptom_onset INTEGER,
    infectious_from INTEGER NOT NULL,
    infectious_until INTEGER NOT NULL
  );
  CREATE INDEX infection_cases_until ON infection_cases (infectious_until);
  CREATE INDEX infection_cases_device ON infection_cases (device);

  CREATE TABLE verification_codes (
    code_hash TEXT PRIMARY KEY,
    issued_by TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  ) WITHOUT ROWID;

  CREATE TABLE identity_users (
    subject TEXT PRIMARY KEY,
    phone_hash TEXT NOT NULL UNIQUE,
    groups TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE identity_challenges (
    id TEXT PRIMARY KEY,
    phone_hash TEXT NOT NULL,
    groups TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX identity_challenges_expires_at ON identity_challenges (expires_at);
  `,
  // Dedicated devices and relaying (docs/RELAY.md). The owner's phone number is stored sealed.
  `
  CREATE TABLE dedicated_devices (
    device_id TEXT PRIMARY KEY,
    device_number INTEGER NOT NULL UNIQUE,
    public_key BLOB NOT NULL,
    owner_phone_sealed TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    bundle_until INTEGER NOT NULL,
    highest_seq INTEGER NOT NULL DEFAULT 0,
    head_hash BLOB NOT NULL,
    dropped_reported INTEGER NOT NULL DEFAULT 0,
    last_delivery_at INTEGER,
    last_lag_ms INTEGER,
    keep_until INTEGER NOT NULL
  );
  CREATE INDEX dedicated_devices_keep_until ON dedicated_devices (keep_until);

  CREATE TABLE relay_batches (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    batch_hash BLOB NOT NULL,
    accepted_at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX relay_batches_keep_until ON relay_batches (keep_until);

  CREATE TABLE relay_gaps (
    device_id TEXT NOT NULL,
    from_seq INTEGER NOT NULL,
    to_seq INTEGER NOT NULL,
    dropped_by_device INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (device_id, from_seq)
  ) WITHOUT ROWID;

  CREATE TABLE relay_envelopes (
    envelope_hash BLOB PRIMARY KEY,
    keep_until INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE relay_counters (
    relay TEXT NOT NULL,
    outcome TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (relay, outcome)
  ) WITHOUT ROWID;

  CREATE TABLE owner_alerts (
    alert_key TEXT PRIMARY KEY,
    phone_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sent', 'rate_limited', 'failed')),
    at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX owner_alerts_phone ON owner_alerts (phone_key, at);
  `,
];
