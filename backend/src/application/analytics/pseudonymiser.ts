import { isoWeekStart } from '../../domain/analytics/calendar.js';
import { pseudonym, type AnalyticsFamily, type PseudonymKey } from '../../domain/analytics/pseudonym.js';
import type { PseudonymKeys } from '../../ports/pseudonym-keys.js';

type Kind = Parameters<typeof pseudonym>[1];

/** Pseudonyms for one run: the key of each index and week is fetched (or created) once. */
export class Pseudonymiser {
  private readonly cache = new Map<string, Promise<PseudonymKey>>();

  constructor(private readonly keys: PseudonymKeys) {}

  /** The pseudonym of `value` in the `family` index for the ISO week holding `time`. */
  async of(family: AnalyticsFamily, time: number, kind: Kind, value: string | number): Promise<string> {
    return pseudonym(await this.key(family, isoWeekStart(time)), kind, value);
  }

  private key(family: AnalyticsFamily, week: number): Promise<PseudonymKey> {
    const id = `${family}:${week}`;
    let key = this.cache.get(id);
    if (!key) this.cache.set(id, (key = this.keys.keyFor(family, week)));
    return key;
  }
}

/** The device's pseudonym under every key still held, per index: how erasure and reinfection find its records. */
export async function pseudonymsUnderHeldKeys(keys: PseudonymKeys, family: AnalyticsFamily, device: number): Promise<string[]> {
  return (await keys.heldKeys(family)).map((key) => pseudonym(key, 'device', device));
}
