import type { DuplicateOutlook } from '../population/duplicate-outlook.js';

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** Why the run's duplicate share will not be the modelled one, and what to change. */
export function duplicateWarning(devices: number, o: Pick<DuplicateOutlook, 'modelled' | 'expected' | 'devicesNeeded'>): string {
  const fix = o.devicesNeeded === undefined ? '' : `; use --devices ${o.devicesNeeded.toLocaleString('en-US')} or more to come within 5 points`;
  return (
    `${devices} devices are too few for ${pct(o.modelled)} duplicates: each meets at most ${devices - 1} others a simulated day, ` +
    `so first contacts run out and about ${pct(o.expected)} of observations will repeat a pair${fix}`
  );
}
