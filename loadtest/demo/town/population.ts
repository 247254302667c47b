import { circle, grid, type Point } from './geometry.js';
import { personName, surname } from './names.js';
import type { Random } from './random.js';
import type { AgeGroup, Carrying, Person, Room, RoomKind } from './town-model.js';

/** Where each person belongs: a home spot, a desk (office, shop or classroom) or none. */
export interface Assignment {
  home: { room: number; at: Point };
  work?: { room: number; at: Point; until: number } | undefined;
  busRider: boolean;
}

export interface Population {
  people: Person[];
  rooms: Room[];
  assignments: Assignment[];
  /** Rooms of the shared places. */
  bus: { room: number; seats: Point[] };
  party: { room: number; groups: Point[][] };
  shop: { room: number; till: Point };
}

const SITE_SPACING_M = 100;
const HOUSEHOLD_SIZES = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5];
const CLASS_SIZE = 12;
const SCHOOL_END = 15 * 60;
const WORK_END = 16 * 60;

/** People in households, and the town's rooms: homes, offices, a shop, a school, a bus and a party hall. */
export function buildPopulation(size: number, random: Random): Population {
  const rooms: Room[] = [];
  let sites = 0;
  const site = (): Point => {
    const s = sites++;
    return { x: (s % 25) * SITE_SPACING_M, y: Math.floor(s / 25) * SITE_SPACING_M };
  };
  const room = (kind: RoomKind, name: string, siteId: number): number => {
    rooms.push({ id: rooms.length, kind, name, site: siteId });
    return rooms.length - 1;
  };

  const people: Person[] = [];
  const assignments: Assignment[] = [];
  let household = 0;
  while (people.length < size) {
    const n = Math.min(random.pick(HOUSEHOLD_SIZES), size - people.length);
    const last = surname(random.pick.bind(random));
    const ages = householdAges(n, random);
    const origin = site();
    const home = room('home', `the ${last} home`, sites - 1);
    const spots = circle({ x: origin.x + 5, y: origin.y + 5 }, n, 1.6);
    ages.forEach((age, i) => {
      const id = people.length;
      people.push({ id, name: personName(random.pick.bind(random), last), age, household, carries: 'phone', phoneNumber: fictionalNumber(id) });
      assignments.push({ home: { room: home, at: spots[i]! }, busRider: false });
    });
    household++;
  }
  assignCarrying(people, random);

  // The school: classrooms of twelve along a corridor, a teacher each.
  const children = people.filter((p) => p.age === 'child');
  const adults = random.shuffled(people.filter((p) => p.age === 'adult'));
  const schoolOrigin = site();
  const schoolSite = sites - 1;
  const classes = Math.max(1, Math.ceil(children.length / CLASS_SIZE));
  for (let c = 0; c < classes; c++) {
    const origin = { x: schoolOrigin.x + c * 12, y: schoolOrigin.y };
    const classroom = room('classroom', `classroom ${c + 1}`, schoolSite);
    const desks = grid(origin, 4, 3, 1.1);
    children.slice(c * CLASS_SIZE, (c + 1) * CLASS_SIZE).forEach((child, i) => (assignments[child.id]!.work = { room: classroom, at: desks[i]!, until: SCHOOL_END }));
    const teacher = adults.pop();
    if (teacher) assignments[teacher.id]!.work = { room: classroom, at: { x: origin.x + 1.65, y: origin.y - 1 }, until: WORK_END };
  }

  // The shop: a cashier at the till.
  const shopOrigin = site();
  const shop = room('shop', 'the corner shop', sites - 1);
  const cashier = adults.pop();
  if (cashier) assignments[cashier.id]!.work = { room: shop, at: shopOrigin, until: WORK_END };

  // Offices of four desks, three or four offices per building; some adults work at home.
  const workers = adults.filter(() => random.chance(0.85));
  let desks: { room: number; at: Point }[] = [];
  let building = 0;
  for (const worker of workers) {
    if (desks.length === 0) {
      const origin = site();
      building++;
      const offices = random.int(3, 4);
      for (let o = 0; o < offices; o++) {
        const office = room('office', `office ${o + 1}, building ${building}`, sites - 1);
        desks.push(...grid({ x: origin.x + o * 10, y: origin.y }, 2, 2, 2.6).map((at) => ({ room: office, at })));
      }
    }
    const desk = desks.shift()!;
    assignments[worker.id]!.work = { ...desk, until: WORK_END };
  }
  desks = [];

  for (const p of people) {
    const a = assignments[p.id]!;
    if (a.work && rooms[a.work.room]!.kind !== 'shop') a.busRider = random.chance(p.age === 'child' ? 0.3 : 0.35);
  }

  const busOrigin = site();
  const bus = room('bus', 'the number 7 bus', sites - 1);
  // Seat-mates sit 0.9 m apart (near), rows are 2.4 m apart (medium): a ride exposes only seat-mates.
  const seats = Array.from({ length: 40 }, (_, i) => ({ x: busOrigin.x + (i % 2) * 0.9, y: busOrigin.y + Math.floor(i / 2) * 2.4 }));
  const hallOrigin = site();
  const party = room('party', 'the birthday party', sites - 1);
  const groups = Array.from({ length: 16 }, (_, g) => circle({ x: hallOrigin.x + (g % 4) * 9, y: hallOrigin.y + Math.floor(g / 4) * 9 }, 5, 0.75));
  return { people, rooms, assignments, bus: { room: bus, seats }, party: { room: party, groups }, shop: { room: shop, till: { x: shopOrigin.x + 1, y: shopOrigin.y } } };
}

function householdAges(n: number, random: Random): AgeGroup[] {
  if (n === 1) return [random.chance(0.3) ? 'senior' : 'adult'];
  if (n === 2) return random.chance(0.25) ? ['senior', 'senior'] : ['adult', 'adult'];
  return ['adult', 'adult', ...Array.from({ length: n - 2 }, (): AgeGroup => 'child')];
}

/**
 * Most carry a phone. A few children and seniors carry a dedicated BLE-only device instead
 * (relayed by their household's phones); a few people carry nothing.
 */
function assignCarrying(people: Person[], random: Random): void {
  const households = new Map<number, Person[]>();
  for (const p of people) households.set(p.household, [...(households.get(p.household) ?? []), p]);
  const dedicatedWanted = people.length >= 20 ? Math.max(2, Math.round(people.length * 0.04)) : 1;
  const candidates = random.shuffled(people.filter((p) => p.age !== 'adult' && households.get(p.household)!.some((o) => o.age === 'adult')));
  for (const p of candidates.slice(0, dedicatedWanted)) p.carries = 'dedicated';
  for (const p of people) if (p.carries === 'phone' && p.age !== 'child' && random.chance(0.06)) p.carries = 'none' satisfies Carrying;
  // A household with a dedicated device keeps one phone to provision and relay it.
  for (const members of households.values()) {
    if (members.some((m) => m.carries === 'dedicated') && !members.some((m) => m.carries === 'phone')) members.find((m) => m.age === 'adult')!.carries = 'phone';
  }
}

/** +1 NPA 555-01XX: numbers reserved for fiction, a hundred per area code. */
export function fictionalNumber(index: number): string {
  return `+1${200 + Math.floor(index / 100)}55501${String(index % 100).padStart(2, '0')}`;
}

/** The health official's number (outside the people's range of area codes). */
export const OFFICIAL_NUMBER = '+12995550100';
