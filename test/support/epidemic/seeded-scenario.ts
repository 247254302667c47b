import ngeohash from 'ngeohash';
import type { EpidemicConfig } from '../../../loadtest/src/epidemic/epidemic-config.js';

/** A cell centre at geohash precision 5, so that people jittered ~1 km around it stay in the cell. */
function cellCentre(lat: number, lon: number): { lat: number; lon: number } {
  const { latitude, longitude } = ngeohash.decode(ngeohash.encode(lat, lon, 5));
  return { lat: latitude, lon: longitude };
}

/** Monday 2026-01-05 00:00 UTC. */
export const SCENARIO_START = Date.UTC(2026, 0, 5);

/**
 * The seeded scenario the analytics tests check: three towns of 90 people and a village of 12,
 * a small first wave from day 0, a quiet 14 weeks (the operational stores forget it), and a second
 * wave from day 125 in which some of the first wave's cases are infected again (four of them imported so). In the second
 * wave three people in the village fall ill in one week and infect nobody: a cell of 3 people.
 */
export const SEEDED_SCENARIO: EpidemicConfig = {
  seed: 12,
  start: SCENARIO_START,
  activeDays: [
    [0, 13],
    [125, 160],
  ],
  regions: [
    { name: 'north', centre: cellCentre(52.52, 13.4), people: 90 },
    { name: 'south', centre: cellCentre(52.3, 13.5), people: 90 },
    { name: 'east', centre: cellCentre(52.45, 13.9), people: 90 },
    { name: 'village', centre: cellCentre(52.7, 13.1), people: 12, transmission: 0, isolated: true },
  ],
  householdSize: 3,
  communityMeetings: 0.8,
  crossRegionShare: 0,
  longMeetingShare: 0.5,
  householdTransmission: 0.1,
  communityTransmission: 0.4,
  incubationDays: [3, 6],
  compliance: 0.6,
  acknowledgement: 0.8,
  isolationDays: 10,
  immunityLoss: 0.8,
  phases: [
    { startDay: 0, seeds: { north: 6, south: 5 } },
    { startDay: 125, seeds: { north: 8, south: 8, east: 8, village: 3 }, reinfections: { north: 2, south: 2 } },
  ],
};

/** Days played: the second wave's last cohorts are followed up to the end. */
export const SCENARIO_DAYS = 178;
