import { ALL_REGIONS, type RegionId } from '../regions.js';

/** A figure's cell: one region (or all of them) in one ISO week. */
export function cellKey(week: number, region: RegionId): string {
  return `${week}|${region}`;
}

/** The cells a record counts in: its own region's and the all-regions one. */
export function cellsOf(week: number, region: RegionId): string[] {
  return [cellKey(week, region), cellKey(week, ALL_REGIONS)];
}

/**
 * The small-cell rule: a count of people is shown only when it is 0 or at least k; a rate only when
 * the people it is a share of are at least k and the people on each side of it pass the count rule
 * (a rate and its cohort would otherwise give the small count away).
 */
export function countShown(people: number, k: number): boolean {
  return people === 0 || people >= k;
}

export function rateShown(cohort: number, sides: readonly number[], k: number): boolean {
  return cohort >= k && sides.every((n) => countShown(n, k));
}

/**
 * Secondary suppression across the regions of one week: when the hidden cells hold fewer than k
 * people together, subtracting the shown cells from the all-regions total would reveal them, so
 * the smallest shown cells are hidden too until the hidden ones hold at least k (or none is left).
 * Returns the regions to hide; `counts` holds every region's people, not the all-regions cell.
 */
export function secondarySuppression(counts: ReadonlyMap<RegionId, number>, k: number): Set<RegionId> {
  const hidden = new Set([...counts].filter(([, n]) => !countShown(n, k)).map(([r]) => r));
  let hiddenTotal = [...hidden].reduce((sum, r) => sum + counts.get(r)!, 0);
  const shown = [...counts].filter(([r, n]) => !hidden.has(r) && n > 0).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  while (hiddenTotal > 0 && hiddenTotal < k && shown.length > 0) {
    const [region, n] = shown.shift()!;
    hidden.add(region);
    hiddenTotal += n;
  }
  return hidden;
}
