import type { Point } from './geometry.js';

export type AgeGroup = 'child' | 'adult' | 'senior';
/** What a person carries: a phone running the bridge core, a dedicated BLE-only device, or nothing. */
export type Carrying = 'phone' | 'dedicated' | 'none';
export type RoomKind = 'home' | 'office' | 'classroom' | 'bus' | 'party' | 'shop';

export interface Person {
  id: number;
  name: string;
  age: AgeGroup;
  household: number;
  carries: Carrying;
  /** E.164, fictional (+1 NPA 555-01XX): the phone's number, or a dedicated device owner's. */
  phoneNumber: string;
}

/** A room of a site; sites lie far apart (out of radio range), rooms of one site may hear each other. */
export interface Room {
  id: number;
  kind: RoomKind;
  name: string;
  site: number;
}

/** A person at one spot of one room for minutes [from, to) of the simulation. */
export interface Stay {
  person: number;
  room: number;
  from: number;
  to: number;
  at: Point;
}

/** A reported case: who, when the test came back (the report), when symptoms began. */
export interface CaseReport {
  person: number;
  /** Minute of the simulation. */
  reportAt: number;
  onsetAt: number;
}

/** The simulator's knowledge of who really got infected, when and by whom. */
export interface Infection {
  person: number;
  /** Minute (negative: before the simulation began). */
  infectedAt: number;
  infectiousFrom: number;
  by: number | undefined;
  /** Where it happened. */
  room: number | undefined;
}

export interface Town {
  seed: number;
  /** Epoch ms of minute 0. */
  start: number;
  minutes: number;
  people: Person[];
  rooms: Room[];
  /** Per person, sorted by time; time outside any stay is spent alone, out of everyone's range. */
  stays: Stay[][];
  /** Index cases and later ones, in report order. */
  cases: CaseReport[];
  infections: Infection[];
  /** The air the town is simulated on. */
  air: AirModel;
}

export interface AirModel {
  rangeM: number;
  rssiAt1mDbm: number;
  pathLossExponent: number;
  noiseSigmaDb: number;
  txPowerDbm: number;
}

export const TOWN_AIR: AirModel = { rangeM: 20, rssiAt1mDbm: -59, pathLossExponent: 2.2, noiseSigmaDb: 2, txPowerDbm: 0 };

export const MINUTE_MS = 60_000;
export const DAY_MINUTES = 1440;

/** The RSSI the air would give at `distanceM` without its noise: the truth the sightings measure. */
export function trueRssi(air: AirModel, distanceM: number): number {
  return air.txPowerDbm + air.rssiAt1mDbm - 10 * air.pathLossExponent * Math.log10(Math.max(distanceM, 0.1));
}
