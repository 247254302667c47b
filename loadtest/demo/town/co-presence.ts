import { distance } from './geometry.js';
import type { Room, Stay } from './town-model.js';

/** Two people within radio range of each other, at one distance, for minutes [from, to). */
export interface CoStay {
  a: number;
  b: number;
  from: number;
  to: number;
  distanceM: number;
  /** The rooms they were in (the same room, or two rooms of one site). */
  rooms: [number, number];
}

/**
 * Every stretch in which two people were within `rangeM` of each other: the town's ground truth
 * of proximity, from the schedule alone (sites lie out of range of each other; rooms of one site
 * may not). Sorted by start.
 */
export function coStays(stays: readonly Stay[][], rooms: readonly Room[], rangeM: number): CoStay[] {
  const bySite = new Map<number, Stay[]>();
  for (const list of stays) for (const s of list) {
    const site = rooms[s.room]!.site;
    const group = bySite.get(site);
    if (group) group.push(s);
    else bySite.set(site, [s]);
  }
  const out: CoStay[] = [];
  for (const group of bySite.values()) {
    group.sort((x, y) => x.from - y.from);
    const open: Stay[] = [];
    for (const s of group) {
      for (let i = open.length - 1; i >= 0; i--) if (open[i]!.to <= s.from) open.splice(i, 1);
      for (const o of open) {
        if (o.person === s.person) continue;
        const d = distance(o.at, s.at);
        if (d > rangeM) continue;
        const [first, second] = o.person < s.person ? [o, s] : [s, o];
        out.push({ a: first.person, b: second.person, from: s.from, to: Math.min(o.to, s.to), distanceM: d, rooms: [first.room, second.room] });
      }
      open.push(s);
    }
  }
  return out.sort((x, y) => x.from - y.from || x.a - y.a || x.b - y.b);
}
