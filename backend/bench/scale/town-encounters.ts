import { contactId, type Contact } from '../../src/domain/contacts/contact.js';
import type { ResolvedObservation } from '../../src/domain/contacts/observation.js';
import type { SightingInterval } from '../../src/domain/contacts/sighting-interval.js';
import type { DeviceNumber } from '../../src/domain/device.js';
import { windowContaining } from '../../src/domain/tokens/token-window.js';
import { Random } from '../../../loadtest/demo/town/random.js';

/**
 * A town's days of contacts, as its devices would have uploaded them: each device meets
 * `encountersPerDevicePerDay` others a day (partners drawn uniformly from the town) at random times
 * in the active hours, and both sides report every encounter (so half the observations are
 * two-sided duplicates, as the design has it). Most encounters are brief (passers-by), some last
 * an hour (households, offices). An encounter ends at its token window's end at the latest: one
 * encounter, one contact record.
 *
 * The contacts come in id order (pair, then window): device by device, each with the encounters in
 * which it is the pair's lower number, partners uniform among the numbers above it, as many as
 * uniform pairing gives it. Written in that order, the store's B-trees are appended to instead of written
 * at random pages, which is what makes tens of millions reachable in minutes.
 *
 * Batches carry 25 encounters, both sides of each: 50 observations, what one upload holds, as the
 * contacts the consumer would leave once both sides' uploads merged (see encounterContact).
 * Storing a batch writes those rows, and one applied-batch record per 50 observations, as the
 * uploads would.
 */
export interface TownOptions {
  devices: readonly DeviceNumber[];
  days: number;
  /** The end of the last contact day (exclusive): the contacts lie in the `days` days before it. */
  until: Date;
  windowMinutes: number;
  encountersPerDevicePerDay: number;
  /** UTC hours [from, to) in which people meet. */
  activeHours: { from: number; to: number };
  seed: number;
}

export interface FillBatch {
  reporter: DeviceNumber;
  contacts: Contact[];
  observationCount: number;
  /** When the batch would have been applied: the end of the hour of its latest encounter. */
  appliedAt: Date;
}

const ENCOUNTERS_PER_BATCH = 25;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * HOUR_MS;

/** Minutes an encounter lasts: 60 % pass by (1–5), 25 % linger (5–15), 15 % stay (15–60). */
const DURATIONS: readonly { share: number; minutes: [number, number] }[] = [
  { share: 0.6, minutes: [1, 5] },
  { share: 0.25, minutes: [5, 15] },
  { share: 0.15, minutes: [15, 60] },
];

export function townEncounterCount(options: Pick<TownOptions, 'devices' | 'days' | 'encountersPerDevicePerDay'>): number {
  return Math.round(options.devices.length * options.encountersPerDevicePerDay * options.days);
}

export function* townBatches(options: TownOptions): Generator<FillBatch> {
  const { activeHours } = options;
  if (options.devices.length < 2) throw new RangeError('a town needs at least two devices');
  const hoursPerDay = activeHours.to - activeHours.from;
  if (!(hoursPerDay > 0 && activeHours.from >= 0 && activeHours.to <= 24)) throw new RangeError('active hours must lie in 0–24 and end after they begin');
  const random = Random.stream(options.seed, 'town');
  const total = townEncounterCount(options);
  const n = options.devices.length;
  // A pair's contact is keyed by its numerically lower device: the device at numeric rank r is the
  // lower one of a share (n-1-r)/(n(n-1)/2) of uniformly drawn pairs, with a partner among those after it.
  const byNumber = [...options.devices].sort((x, y) => x - y);
  const pairsBefore = (r: number) => (r * (2 * n - r - 1)) / 2;
  const allPairs = (n * (n - 1)) / 2;
  // Ids begin with the lower device in base 36 and a dash, which sorts before any digit: devices
  // taken in that order give every contact in id order.
  const emission = byNumber.map((d, rank) => ({ rank, key: `${d.toString(36)}-` })).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const firstDay = Math.floor(options.until.getTime() / DAY_MS) * DAY_MS - options.days * DAY_MS;
  for (const { rank: r } of emission) {
    if (r === n - 1) continue;
    const count = Math.floor((total * pairsBefore(r + 1)) / allPairs) - Math.floor((total * pairsBefore(r)) / allPairs);
    const contacts: Contact[] = [];
    for (let i = 0; i < count; i++) {
      const slot = random.int(0, options.days * hoursPerDay - 1);
      const slotStart = firstDay + Math.floor(slot / hoursPerDay) * DAY_MS + (activeHours.from + (slot % hoursPerDay)) * HOUR_MS;
      contacts.push(encounterContact(encounterBetween(random, byNumber[r]!, byNumber[random.int(r + 1, n - 1)]!, slotStart, options.windowMinutes)));
    }
    contacts.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    for (let i = 0; i < contacts.length; i += ENCOUNTERS_PER_BATCH) {
      const batch = contacts.slice(i, i + ENCOUNTERS_PER_BATCH);
      const latest = Math.max(...batch.map((c) => c.intervals[0]!.end));
      yield { reporter: byNumber[r]!, contacts: batch, observationCount: 2 * batch.length, appliedAt: new Date(Math.ceil(latest / HOUR_MS) * HOUR_MS) };
    }
  }
}

/** One encounter of devices a and b, heard by both: the same stretch of time, each side with its own signal. */
export interface Encounter {
  a: DeviceNumber;
  b: DeviceNumber;
  windowStartMinute: number;
  start: number;
  end: number;
  sightings: number;
  /** Mean RSSI as a heard b, and as b heard a. */
  rssiMeanA: number;
  rssiMeanB: number;
  rssiMax: number;
}

/**
 * The contact the consumer stores for the encounter's two uploads, built directly: the fill makes
 * millions, and the domain's fold (contactsFromObservations over encounterObservations, which a
 * test holds it to) allocates more than the fill can afford.
 */
export function encounterContact(e: Encounter): Contact {
  const aIsLow = e.a < e.b;
  const heardBy = (side: 'low' | 'high', rssi: number): SightingInterval => ({ heardBy: side, start: e.start, end: e.end, sightings: e.sightings, rssi, rssiMax: e.rssiMax, txPower: undefined });
  return {
    id: contactId(e.a, e.b, e.windowStartMinute),
    deviceLow: aIsLow ? e.a : e.b,
    deviceHigh: aIsLow ? e.b : e.a,
    windowStartMinute: e.windowStartMinute,
    intervals: [heardBy('low', aIsLow ? e.rssiMeanA : e.rssiMeanB), heardBy('high', aIsLow ? e.rssiMeanB : e.rssiMeanA)],
    location: undefined,
  };
}

/** The two observations the encounter's devices upload (a's of b, b's of a), as the consumer resolves them. */
export function encounterObservations(e: Encounter): [ResolvedObservation, ResolvedObservation] {
  const side = (reporter: DeviceNumber, advertiser: DeviceNumber, rssiMean: number): ResolvedObservation => ({
    reporter,
    advertiser,
    windowStartMinute: e.windowStartMinute,
    firstSeen: new Date(e.start),
    lastSeen: new Date(e.end),
    rssiMean,
    rssi: e.rssiMax,
    sightings: e.sightings,
  });
  return [side(e.a, e.b, e.rssiMeanA), side(e.b, e.a, e.rssiMeanB)];
}

/** One encounter of two devices of the town drawn at random, in the hour from `slotStart`. */
export function meet(random: Random, devices: readonly DeviceNumber[], slotStart: number, windowMinutes: number): Encounter {
  const a = random.int(0, devices.length - 1);
  const b = (a + random.int(1, devices.length - 1)) % devices.length;
  return encounterBetween(random, devices[a]!, devices[b]!, slotStart, windowMinutes);
}

/** One encounter of a and b in the hour from `slotStart`: when, how long, how loud. */
export function encounterBetween(random: Random, a: DeviceNumber, b: DeviceNumber, slotStart: number, windowMinutes: number): Encounter {
  const start = slotStart + Math.floor(random.next() * HOUR_MS);
  const windowStartMinute = windowContaining(new Date(start), windowMinutes).startMinute;
  const windowEnd = (windowStartMinute + windowMinutes) * MINUTE_MS;
  const end = Math.min(windowEnd - 1, start + Math.round(durationMinutes(random) * MINUTE_MS));
  const rssiMean = random.int(-85, -50);
  return {
    a,
    b,
    windowStartMinute,
    start,
    end,
    sightings: Math.max(1, Math.round((end - start) / 15_000)),
    rssiMeanA: rssiMean + random.int(-3, 3),
    rssiMeanB: rssiMean + random.int(-3, 3),
    rssiMax: rssiMean + 5,
  };
}

function durationMinutes(random: Random): number {
  let draw = random.next();
  for (const d of DURATIONS) {
    if (draw < d.share) return random.between(d.minutes[0], d.minutes[1]);
    draw -= d.share;
  }
  return DURATIONS[0]!.minutes[0];
}
