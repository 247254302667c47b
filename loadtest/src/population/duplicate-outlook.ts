import { seededRandom } from '../scheduler/random.js';
import { ContactModel } from './contact-model.js';
import type { PopulationConfig } from './population-config.js';

type OutlookConfig = Pick<PopulationConfig, 'devices' | 'duplicateFraction' | 'householdSize' | 'workplaceSize' | 'householdShare' | 'workplaceShare' | 'contactsPerDevicePerDay'>;

/** Points by which the expected duplicate share may exceed the modelled one before the report warns. */
export const DUPLICATE_TOLERANCE = 0.05;
const SAMPLE_OBSERVERS = 100;
const MAX_DEVICES = 100_000;

/**
 * The share of observations that will be duplicates with this population. A device meets at most
 * devices − 1 others in a day; in a small population first contacts run out and re-encounters take their
 * place (20 devices: about 86% against the modelled 50%). Found by running the contact model through one
 * simulated day for a spread sample of observers, with a fixed seed, so the answer is the same every time.
 */
export function expectedDuplicateFraction(c: OutlookConfig): number {
  const model = new ContactModel(c, seededRandom(1));
  const observers = Math.min(c.devices, SAMPLE_OBSERVERS);
  const perDay = Math.max(1, Math.round(c.contactsPerDevicePerDay));
  let duplicates = 0;
  for (let o = 0; o < observers; o++) {
    const observer = Math.floor((o * c.devices) / observers);
    const seen: number[] = [];
    for (let k = 0; k < perDay; k++) {
      const { target, duplicate } = model.next(observer, seen);
      if (duplicate) duplicates++;
      else seen.push(target);
    }
  }
  return duplicates / (observers * perDay);
}

export interface DuplicateOutlook {
  modelled: number;
  expected: number;
  /** The expected share is more than DUPLICATE_TOLERANCE above the modelled one. */
  tooSmall: boolean;
  /** The smallest round population that comes within the tolerance; undefined if none up to 100,000. */
  devicesNeeded?: number;
}

/** Round populations a person would type, 10 to 100,000. */
const CANDIDATES = [1, 2, 3, 4].flatMap((e) => [1, 1.5, 2, 3, 5, 7].map((m) => m * 10 ** e)).concat(MAX_DEVICES);

export function duplicateOutlook(c: OutlookConfig): DuplicateOutlook {
  const expected = expectedDuplicateFraction(c);
  const tooSmall = expected - c.duplicateFraction > DUPLICATE_TOLERANCE;
  if (!tooSmall) return { modelled: c.duplicateFraction, expected, tooSmall };
  const devicesNeeded = CANDIDATES.find((n) => n > c.devices && expectedDuplicateFraction({ ...c, devices: n }) - c.duplicateFraction <= DUPLICATE_TOLERANCE);
  return { modelled: c.duplicateFraction, expected, tooSmall, ...(devicesNeeded === undefined ? {} : { devicesNeeded }) };
}
