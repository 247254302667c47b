/**
 * The domain's mergeContacts (and the SQLite UPSERT) as a painless update of an existing contact
 * (a new one is inserted from the bulk item's `upsert` without running it): the earliest firstSeen,
 * the latest lastSeen, either side having reported, the strongest RSSI, and the first location win.
 * Commutative and idempotent, so redelivered or retried bulk items converge on the same document.
 */
export const MERGE_CONTACT_SCRIPT = `
def c = params.contact;
def s = ctx._source;
boolean changed = false;
if (c.firstSeen < s.firstSeen) { s.firstSeen = c.firstSeen; changed = true; }
if (c.lastSeen > s.lastSeen) { s.lastSeen = c.lastSeen; changed = true; }
if (c.reportedByLow && !s.reportedByLow) { s.reportedByLow = true; changed = true; }
if (c.reportedByHigh && !s.reportedByHigh) { s.reportedByHigh = true; changed = true; }
if (c.maxRssi != null && (s.maxRssi == null || c.maxRssi > s.maxRssi)) { s.maxRssi = c.maxRssi; changed = true; }
if (s.location == null && c.location != null) { s.location = c.location; changed = true; }
if (!changed) { ctx.op = 'none'; }
`;
