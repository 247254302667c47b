import type { GeoPoint } from '../contacts/observation.js';
import type { RegionId } from './regions.js';

/**
 * What officials see: per region (or all regions) and ISO week, the figures the analytics job
 * derives. A figure withheld by the small-cell rule is absent and named in `suppressed`, so no
 * query over these documents can return a number for a cell of fewer than k people.
 */
export interface RegionWeekFigures {
  id: string;
  kind: 'region-week';
  weekStart: number;
  region: RegionId;
  /** The region's centre (a cell's or area's, never a person's place), for maps. */
  regionCentre?: GeoPoint | undefined;
  computedAt: number;
  /** The follow-up of this week's cohorts (incubation, isolation, serial interval) is not over yet. */
  provisional: boolean;
  newCases?: number;
  reinfections?: number;
  reinfectionShare?: number;
  activeDevices?: number;
  casesPer1000Active?: number;
  encounters?: number;
  qualifyingEncounters?: number;
  contactsPerActiveDevice?: number;
  /** Warnings issued this week, every degree. */
  notifications?: number;
  rRenewal?: number;
  rRenewalLow?: number;
  rRenewalHigh?: number;
  rChains?: number;
  rChainsLow?: number;
  rChainsHigh?: number;
  /** Share of this week's cases whose device held a first-degree warning from an earlier case. */
  tracedShare?: number;
  /** Share of the week's warned people with no qualifying contact during their isolation. */
  compliance?: number;
  complianceLow?: number;
  complianceHigh?: number;
  complianceCohort?: number;
  suppressed: string[];
}

/** Per region, week and degree of the warning. */
export interface DegreeWeekFigures {
  id: string;
  kind: 'degree-week';
  weekStart: number;
  region: RegionId;
  degree: number;
  computedAt: number;
  provisional: boolean;
  notifications?: number;
  raised?: number;
  acknowledgedShare?: number;
  /** Secondary attack rate: share of the warned who reported an infection within the incubation window. */
  sar?: number;
  sarLow?: number;
  sarHigh?: number;
  sarCohort?: number;
  /** What the policy assumes for this degree (HOP_PROBABILITY^degree): the SAR to compare with. */
  policyProbability: number;
  suppressed: string[];
}

export type FigureDocument = RegionWeekFigures | DegreeWeekFigures;

export function figureId(kind: FigureDocument['kind'], weekStart: number, region: RegionId, degree?: number): string {
  return [kind, new Date(weekStart).toISOString().slice(0, 10), region, ...(degree === undefined ? [] : [String(degree)])].join(':');
}
