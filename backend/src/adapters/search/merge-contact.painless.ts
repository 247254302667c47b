import { MAX_INTERVALS_PER_SIDE } from '../../domain/contacts/sighting-interval.js';

/**
 * The domain's mergeContacts (normalizeIntervals; the SQLite store calls the domain function itself)
 * as a painless update of an existing contact; a new one is inserted from the bulk item's `upsert`
 * without running it. Intervals are [side, start, end, sightings, rssi, rssiMax, txPower] (see
 * interval-codec.ts): per side, overlapping or touching ones join (union of times, the larger count,
 * the stronger signals), the earliest MAX_INTERVALS_PER_SIDE per side are kept, and the indexed
 * fields (span, sides, strongest RSSI, location) follow from them. Commutative, associative and
 * idempotent, so redelivered or retried bulk items converge on the same document; the contract
 * suite checks it against the domain with generated cases on the real node.
 */
export const MERGE_CONTACT_SCRIPT = `
def c = params.contact;
def s = ctx._source;
List all = new ArrayList();
for (def i : s.intervals) { all.add(i); }
for (def i : c.intervals) { all.add(i); }
all.sort((a, b) -> {
  int x = Integer.compare(((Number) a[0]).intValue(), ((Number) b[0]).intValue());
  if (x != 0) { return x; }
  x = Long.compare(((Number) a[1]).longValue(), ((Number) b[1]).longValue());
  if (x != 0) { return x; }
  return Long.compare(((Number) a[2]).longValue(), ((Number) b[2]).longValue());
});
List merged = new ArrayList();
for (def i : all) {
  int side = ((Number) i[0]).intValue();
  long start = ((Number) i[1]).longValue();
  long end = ((Number) i[2]).longValue();
  if (!merged.isEmpty()) {
    List last = merged.get(merged.size() - 1);
    if (((Number) last[0]).intValue() == side && start <= ((Number) last[2]).longValue()) {
      if (end > ((Number) last[2]).longValue()) { last[2] = end; }
      if (((Number) i[3]).intValue() > ((Number) last[3]).intValue()) { last[3] = ((Number) i[3]).intValue(); }
      for (int k = 4; k < 7; k++) {
        if (i[k] != null && (last[k] == null || ((Number) i[k]).intValue() > ((Number) last[k]).intValue())) { last[k] = ((Number) i[k]).intValue(); }
      }
      continue;
    }
  }
  List copy = new ArrayList();
  copy.add(side); copy.add(start); copy.add(end); copy.add(((Number) i[3]).intValue());
  for (int k = 4; k < 7; k++) { copy.add(i[k] == null ? null : ((Number) i[k]).intValue()); }
  merged.add(copy);
}
List kept = new ArrayList();
int[] perSide = new int[2];
for (def i : merged) {
  int side = i[0];
  if (perSide[side] < ${MAX_INTERVALS_PER_SIDE}) { kept.add(i); perSide[side] = perSide[side] + 1; }
}
def location = s.location;
if (c.location != null && (location == null || c.location.lat < location.lat || (c.location.lat == location.lat && c.location.lon < location.lon))) { location = c.location; }
boolean same = kept.size() == s.intervals.size() && location == s.location;
if (same) {
  for (int n = 0; n < kept.size(); n++) {
    List a = kept.get(n);
    def b = s.intervals.get(n);
    for (int k = 0; k < 7; k++) {
      if ((a[k] == null) != (b[k] == null) || (a[k] != null && ((Number) a[k]).longValue() != ((Number) b[k]).longValue())) { same = false; }
    }
  }
}
if (same) { ctx.op = 'none'; return; }
long first = Long.MAX_VALUE;
long lastSeen = Long.MIN_VALUE;
boolean low = false;
boolean high = false;
def maxRssi = null;
for (def i : kept) {
  if (i[1] < first) { first = i[1]; }
  if (i[2] > lastSeen) { lastSeen = i[2]; }
  if (i[0] == 0) { low = true; } else { high = true; }
  if (i[5] != null && (maxRssi == null || i[5] > maxRssi)) { maxRssi = i[5]; }
}
s.intervals = kept;
s.firstSeen = first;
s.lastSeen = lastSeen;
s.reportedByLow = low;
s.reportedByHigh = high;
if (maxRssi == null) { s.remove('maxRssi'); } else { s.maxRssi = maxRssi; }
if (location == null) { s.remove('location'); } else { s.location = location; }
`;
