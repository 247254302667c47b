import type { Point } from './geometry.js';
import type { Population } from './population.js';
import type { Random } from './random.js';
import { DAY_MINUTES, type Stay } from './town-model.js';

const t = (h: number, m = 0) => h * 60 + m;
const MORNING_BUS = [t(7, 30), t(7, 52)] as const;
const CHILDREN_BUS = [t(15, 10), t(15, 32)] as const;
const ADULTS_BUS = [t(16, 10), t(16, 32)] as const;
const PARTY = { arrive: t(19), swap: t(21), swapBack: t(21, 6), leave: t(23) };
const SHOP_VISIT_MINUTES = 8;
const SHOP_SLOTS = Array.from({ length: 24 }, (_, k) => t(10) + k * 14);

/**
 * Everyone's days as stays at fixed spots. Between two stays a person walks alone for at least six
 * minutes (out of everyone's range), longer than the bridge's five idle minutes and the model's
 * five-minute gap: so a pair's sighting intervals each have one distance, and the simulator's
 * truth can be stated exactly.
 */
export function buildSchedule(pop: Population, days: number, random: Random): Stay[][] {
  const stays: Stay[][] = pop.people.map(() => []);
  const add = (person: number, room: number, from: number, to: number, at: Point) => {
    if (to > from) stays[person]!.push({ person, room, from, to, at });
  };
  const partyDay = Math.min(1, days - 1);
  const adults = pop.people.filter((p) => p.age === 'adult');
  const guests = new Set(random.shuffled(adults).slice(0, Math.min(40, Math.round(adults.length * 0.3))).map((p) => p.id));
  const partyA = seatsFor([...guests], pop.party.groups.flat(), random);
  const partyB = seatsFor([...guests], pop.party.groups.flat(), random);

  for (let day = 0; day < days; day++) {
    const base = day * DAY_MINUTES;
    const morning = seatsFor(riders(pop, () => true), pop.bus.seats, random);
    const childrenHome = seatsFor(riders(pop, (id) => pop.people[id]!.age === 'child'), pop.bus.seats, random);
    const adultsHome = seatsFor(riders(pop, (id) => pop.people[id]!.age !== 'child'), pop.bus.seats, random);
    const shoppers = random.shuffled(pop.people.filter((p) => !pop.assignments[p.id]!.work).map((p) => p.id)).filter(() => random.chance(0.5));
    const shopSlot = new Map(shoppers.slice(0, SHOP_SLOTS.length).map((id, k) => [id, SHOP_SLOTS[k]!]));

    for (const person of pop.people) {
      const a = pop.assignments[person.id]!;
      const home = (from: number, to: number) => add(person.id, a.home.room, base + from, base + to, a.home.at);
      // The night ends at 07:20 (the previous evening's home stay runs into it).
      let at = t(7, 20);
      home(0, at);
      if (a.work) {
        at += 10;
        const seat = morning.get(person.id);
        if (seat) {
          add(person.id, pop.bus.room, base + MORNING_BUS[0], base + MORNING_BUS[1], seat);
          at = MORNING_BUS[1] + 8;
        } else at = t(8);
        add(person.id, a.work.room, base + at, base + a.work.until, a.work.at);
        at = a.work.until + 10;
        const trip = person.age === 'child' ? CHILDREN_BUS : ADULTS_BUS;
        const homeSeat = (person.age === 'child' ? childrenHome : adultsHome).get(person.id);
        if (homeSeat) {
          add(person.id, pop.bus.room, base + trip[0], base + trip[1], homeSeat);
          at = trip[1] + 8;
        }
      } else {
        const slot = shopSlot.get(person.id);
        if (slot !== undefined) {
          home(at, slot - 6);
          add(person.id, pop.shop.room, base + slot, base + slot + SHOP_VISIT_MINUTES, pop.shop.till);
          at = slot + SHOP_VISIT_MINUTES + 6;
        }
      }
      if (day === partyDay && guests.has(person.id)) {
        home(at, PARTY.arrive - 10);
        add(person.id, pop.party.room, base + PARTY.arrive, base + PARTY.swap, partyA.get(person.id)!);
        add(person.id, pop.party.room, base + PARTY.swapBack, base + PARTY.leave, partyB.get(person.id)!);
        at = PARTY.leave + 10;
      }
      home(at, DAY_MINUTES);
    }
  }
  return stays.map(mergeAdjacent);
}

function riders(pop: Population, which: (id: number) => boolean): number[] {
  return pop.people.filter((p) => pop.assignments[p.id]!.busRider && which(p.id)).map((p) => p.id);
}

function seatsFor(ids: readonly number[], spots: readonly Point[], random: Random): Map<number, Point> {
  const shuffled = random.shuffled(ids);
  return new Map(shuffled.slice(0, spots.length).map((id, i) => [id, spots[i]!]));
}

/** One stay where a person stays put across midnight. */
function mergeAdjacent(list: Stay[]): Stay[] {
  list.sort((a, b) => a.from - b.from);
  const out: Stay[] = [];
  for (const s of list) {
    const last = out[out.length - 1];
    if (last && last.room === s.room && last.to === s.from && last.at.x === s.at.x && last.at.y === s.at.y) last.to = s.to;
    else out.push({ ...s });
  }
  return out;
}

/** From `minute` on the person stays home (after reporting a positive test): whatever came later is dropped. */
export function isolateFrom(list: readonly Stay[], minute: number, home: { room: number; at: Point }, end: number): Stay[] {
  const out: Stay[] = [];
  let homeFrom = minute;
  for (const s of list) {
    if (s.to <= minute) out.push(s);
    else if (s.from < minute) {
      if (s.room === home.room) homeFrom = s.from;
      else {
        out.push({ ...s, to: minute });
        homeFrom = minute + 10;
      }
    }
  }
  if (homeFrom < end) out.push({ person: list[0]?.person ?? 0, room: home.room, from: homeFrom, to: end, at: home.at });
  return mergeAdjacent(out);
}
