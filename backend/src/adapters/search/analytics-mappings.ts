import type { AnalyticsIndex } from '../../ports/analytics-store.js';

/**
 * The strict mappings of the analytics indices: every field a record or figure document has, and
 * nothing else can be written (a coordinate, a device number or a phone number has no field to go
 * in). Times are epoch milliseconds; pseudonyms and regions are keywords.
 */
const keyword = { type: 'keyword' } as const;
const date = { type: 'date', format: 'epoch_millis' } as const;
const integer = { type: 'integer' } as const;
const double = { type: 'double' } as const;
const bool = { type: 'boolean' } as const;

const FIGURE_NUMBERS = [
  'newCases', 'reinfections', 'reinfectionShare', 'activeDevices', 'casesPer1000Active', 'encounters', 'qualifyingEncounters',
  'contactsPerActiveDevice', 'notifications', 'rRenewal', 'rRenewalLow', 'rRenewalHigh', 'rChains', 'rChainsLow', 'rChainsHigh',
  'tracedShare', 'compliance', 'complianceLow', 'complianceHigh', 'complianceCohort', 'raised', 'acknowledgedShare', 'sar', 'sarLow',
  'sarHigh', 'sarCohort', 'policyProbability',
] as const;

export const ANALYTICS_MAPPINGS: Record<AnalyticsIndex, { dynamic: 'strict'; properties: Record<string, object> }> = {
  cases: {
    dynamic: 'strict',
    properties: { id: keyword, device: keyword, reportedAt: date, week: date, symptomOnsetDay: date, region: keyword, infectors: keyword, previousCaseAt: date },
  },
  notifications: {
    dynamic: 'strict',
    properties: {
      id: keyword, device: keyword, degree: integer, issuedAt: date, week: date, raisedAt: date, acknowledgedAt: date, exposedAt: date,
      region: keyword, laterCaseAt: date, isolationEndsAt: date, isolationBrokenAt: date, followedUpTo: date,
    },
  },
  encounters: {
    dynamic: 'strict',
    properties: {
      id: keyword, deviceLow: keyword, deviceHigh: keyword, day: date, week: date, region: keyword, encounters: integer, minutes: double,
      weightedMinutes: double, minutesImmediate: double, minutesNear: double, minutesMedium: double, minutesOther: double,
      minutesUnknown: double, durationBucket: keyword, proximity: keyword, qualifying: bool,
    },
  },
  activity: {
    dynamic: 'strict',
    properties: { id: keyword, device: keyword, day: date, week: date, region: keyword, uploads: integer, observations: integer, lastUploadAt: date },
  },
  figures: {
    dynamic: 'strict',
    properties: {
      id: keyword, kind: keyword, weekStart: date, region: keyword, regionCentre: { type: 'geo_point' }, computedAt: date, provisional: bool,
      degree: integer, suppressed: keyword, ...Object.fromEntries(FIGURE_NUMBERS.map((f) => [f, double])),
    },
  },
};

/** The field each index's records are dated by: retention and range reads count from it. */
export const TIME_FIELD: Record<AnalyticsIndex, string> = { cases: 'reportedAt', notifications: 'issuedAt', encounters: 'day', activity: 'day', figures: 'weekStart' };

/** The fields that hold a device's pseudonym: what erasure searches. */
export const DEVICE_FIELDS: Record<Exclude<AnalyticsIndex, 'figures'>, string[]> = {
  cases: ['device'],
  notifications: ['device'],
  encounters: ['deviceLow', 'deviceHigh'],
  activity: ['device'],
};
