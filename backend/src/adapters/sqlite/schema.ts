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
  // 2: issue 9 — sighting intervals per contact, exposure states with their warnings, the tracing
  // outbox, atomic infection reports, retryable erasure, and the reporter of queued batches.
  `
  ALTER TABLE contacts ADD COLUMN intervals TEXT NOT NULL DEFAULT '[]';
  -- intervals as stored by adapters/interval-codec.ts: [side (0 low, 1 high), start, end, sightings, rssi, rssiMax, txPower]
  UPDATE contacts SET intervals = CASE WHEN reported_by_low = 1 THEN json_array(json_array(0, first_seen, last_seen, 2, max_rssi, max_rssi, NULL)) ELSE '[]' END;
  UPDATE contacts SET intervals = json_insert(intervals, '$[#]', json_array(1, first_seen, last_seen, 2, max_rssi, max_rssi, NULL))
    WHERE reported_by_high = 1;
  ALTER TABLE contacts DROP COLUMN reported_by_low;
  ALTER TABLE contacts DROP COLUMN reported_by_high;
  ALTER TABLE contacts DROP COLUMN max_rssi;

  ALTER TABLE applied_batches ADD COLUMN reporter INTEGER;
  UPDATE applied_batches SET reporter = CAST(substr(batch_key, 1, instr(batch_key, ':') - 1) AS INTEGER);
  CREATE INDEX applied_batches_reporter ON applied_batches (reporter);
  ALTER TABLE batch_receipts ADD COLUMN reporter INTEGER;
  UPDATE batch_receipts SET reporter = CAST(substr(dedup_key, 1, instr(dedup_key, ':') - 1) AS INTEGER);
  CREATE INDEX batch_receipts_reporter ON batch_receipts (reporter);
  ALTER TABLE queue_messages ADD COLUMN reporter INTEGER;
  UPDATE queue_messages SET reporter = json_extract(body, '$.batch.reporter');
  CREATE INDEX queue_messages_reporter ON queue_messages (reporter);
  ALTER TABLE dead_letters ADD COLUMN source TEXT NOT NULL DEFAULT 'contacts';
  CREATE INDEX dead_letters_failed_at ON dead_letters (failed_at);

  CREATE TABLE exposure_states (
    case_id TEXT NOT NULL,
    device INTEGER NOT NULL,
    degree INTEGER NOT NULL,
    exposed_at INTEGER NOT NULL,
    until INTEGER,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, device, degree, exposed_at)
  ) WITHOUT ROWID;
  CREATE INDEX exposure_states_device ON exposure_states (device);

  CREATE TABLE warnings (
    case_id TEXT NOT NULL,
    device INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    degree INTEGER NOT NULL,
    probability REAL NOT NULL,
    exposed_at INTEGER NOT NULL,
    issued_at INTEGER NOT NULL,
    updated_at INTEGER,
    PRIMARY KEY (case_id, device)
  ) WITHOUT ROWID;
  CREATE INDEX warnings_device ON warnings (device);
  CREATE INDEX warnings_changed_at ON warnings (coalesce(updated_at, issued_at));
  INSERT INTO warnings (case_id, device, id, degree, probability, exposed_at, issued_at)
    SELECT case_id, device, id, degree, probability, exposed_at, issued_at FROM notifications;
  INSERT INTO exposure_states (case_id, device, degree, exposed_at, recorded_at)
    SELECT case_id, device, degree, exposed_at, issued_at FROM notifications;
  INSERT OR IGNORE INTO exposure_states (case_id, device, degree, exposed_at, until, recorded_at)
    SELECT id, device, 0, infectious_from, infectious_until, reported_at FROM infection_cases;
  DROP TABLE notifications;

  CREATE TABLE tracing_tasks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    task TEXT NOT NULL,
    devices TEXT NOT NULL,
    queued_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    done_at INTEGER
  );
  CREATE INDEX tracing_tasks_waiting ON tracing_tasks (visible_at) WHERE done_at IS NULL;
  CREATE INDEX tracing_tasks_done ON tracing_tasks (done_at) WHERE done_at IS NOT NULL;

  ALTER TABLE verification_codes ADD COLUMN used_by INTEGER;
  ALTER TABLE verification_codes ADD COLUMN case_id TEXT;
  CREATE INDEX verification_codes_used_by ON verification_codes (used_by);
  CREATE INDEX verification_codes_expires_at ON verification_codes (expires_at);
  CREATE INDEX infection_cases_reported_at ON infection_cases (reported_at);

  ALTER TABLE devices ADD COLUMN erasing_since INTEGER;
  CREATE TABLE erased_subjects (
    subject TEXT PRIMARY KEY,
    until INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 3: sign-in abuse limits, rotating refresh tokens, officials' second factor and audit (issue 10).
  `
  CREATE TABLE rate_counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX rate_counters_expires_at ON rate_counters (expires_at);

  CREATE TABLE refresh_families (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    generation INTEGER NOT NULL,
    secret_hash TEXT NOT NULL,
    upstream TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX refresh_families_subject ON refresh_families (subject);
  CREATE INDEX refresh_families_expires_at ON refresh_families (expires_at);

  CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    at INTEGER NOT NULL,
    count_today INTEGER NOT NULL
  );
  CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
  CREATE INDEX audit_log_at ON audit_log (at);

  ALTER TABLE identity_users ADD COLUMN totp_secret TEXT;
  ALTER TABLE identity_users ADD COLUMN totp_verified_at INTEGER;
  ALTER TABLE identity_users ADD COLUMN totp_last_step INTEGER;
  ALTER TABLE identity_challenges ADD COLUMN purpose TEXT NOT NULL DEFAULT 'device';
  `,
  // 4: tokens the tracer judged relayed or replayed (issue 10, abuse of the contact graph).
  `
  CREATE TABLE token_flags (
    device INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    reason TEXT NOT NULL,
    reporters INTEGER NOT NULL,
    flagged_at INTEGER NOT NULL,
    PRIMARY KEY (device, window_start)
  ) WITHOUT ROWID;
  CREATE INDEX token_flags_flagged_at ON token_flags (flagged_at);
  `,
  // 5: dedicated devices and relaying (issue 13, docs/RELAY.md). The owner's phone number is stored sealed.
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
  // 6: analytics (issue 12) — warnings acknowledged by their devices, and the pseudonym keys of the
  // analytics indices (kept here, in the operational file, never beside the analytics records).
  `
  ALTER TABLE warnings ADD COLUMN acknowledged_at INTEGER;
  CREATE TABLE analytics_keys (
    family TEXT NOT NULL,
    week INTEGER NOT NULL,
    secret BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (family, week)
  ) WITHOUT ROWID;
  CREATE INDEX analytics_keys_expires_at ON analytics_keys (expires_at);
  CREATE INDEX contacts_first_seen ON contacts (first_seen);
  `,
];
