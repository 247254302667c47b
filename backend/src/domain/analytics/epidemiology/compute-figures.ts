import { MS_PER_DAY } from '../../time.js';
import { MS_PER_WEEK } from '../calendar.js';
import { figureId, type DegreeWeekFigures, type FigureDocument, type RegionWeekFigures } from '../figures.js';
import type { CaseRecord } from '../records.js';
import { ALL_REGIONS, type RegionId, type RegionScheme } from '../regions.js';
import { caseCells, type CaseCell } from './case-cells.js';
import { cellKey, countShown, rateShown, secondarySuppression } from './cells.js';
import type { EpidemiologyPolicy } from './policy.js';
import { discretisedSerialInterval } from './serial-interval.js';
import { wilsonInterval } from './statistics.js';
import type { ContactCell, ContactTally, NotificationCell, NotificationTally } from './tallies.js';

export interface FigureInputs {
  /** The ISO weeks to compute (their Mondays). */
  weeks: readonly number[];
  /** Every case record from a serial interval's tail before the first week until now. */
  cases: readonly CaseRecord[];
  notifications: NotificationTally;
  contacts: ContactTally;
  regions: RegionScheme;
  policy: EpidemiologyPolicy;
  /** Degrees the policy warns (1…maxDegree). */
  maxDegree: number;
  now: number;
}

/** The figure documents of every region (and all regions) in the given weeks, the small-cell rule applied. */
export function computeFigures(inputs: FigureInputs): FigureDocument[] {
  const { policy, now, weeks } = inputs;
  const weights = discretisedSerialInterval(policy.serialInterval);
  const followUpMs = Math.max(policy.incubationMs, policy.isolationMs, (weights.length - 1) * MS_PER_DAY) + policy.lateDataMs;
  const cases = caseCells(inputs.cases, weeks, weights, policy, now);
  const documents: FigureDocument[] = [];
  for (const week of weeks) {
    const provisional = now < week + MS_PER_WEEK + followUpMs;
    const regions = regionsOf(week, [cases, inputs.notifications.cells, inputs.contacts.cells]);
    const context: WeekContext = { week, regions, provisional, inputs, cases };
    documents.push(...regionWeekDocuments(context), ...degreeWeekDocuments(context));
  }
  return documents;
}

interface WeekContext {
  week: number;
  /** Every region with data this week, ALL_REGIONS first. */
  regions: RegionId[];
  provisional: boolean;
  inputs: FigureInputs;
  cases: Map<string, CaseCell>;
}

/** Sets a figure when the small-cell rule lets it be shown, else names it among the suppressed. */
function setter<T extends { suppressed: string[] }>(doc: T) {
  return (name: keyof T & string, value: number | undefined, shown: boolean) => {
    if (value === undefined || !Number.isFinite(value)) return;
    if (shown) (doc as Record<string, unknown>)[name] = round(value);
    else doc.suppressed.push(name);
  };
}

function regionWeekDocuments(c: WeekContext): RegionWeekFigures[] {
  const k = c.inputs.policy.minCellSize;
  const at = (region: RegionId) => ({
    cases: c.cases.get(cellKey(c.week, region)),
    notifications: c.inputs.notifications.cells.get(`${cellKey(c.week, region)}|0`),
    contacts: c.inputs.contacts.cells.get(cellKey(c.week, region)),
  });
  // Counts across regions whose hidden cells could be recovered from the all-regions total.
  const hide = {
    newCases: hiddenAcross(c, (r) => at(r).cases?.cases.size ?? 0),
    reinfections: hiddenAcross(c, (r) => at(r).cases?.reinfections.size ?? 0),
    activeDevices: hiddenAcross(c, (r) => at(r).contacts?.active.size ?? 0),
    notifications: hiddenAcross(c, (r) => at(r).notifications?.issued.size ?? 0),
  };
  return c.regions.map((region) => {
    const { cases, notifications, contacts } = at(region);
    const doc: RegionWeekFigures = {
      id: figureId('region-week', c.week, region),
      kind: 'region-week',
      weekStart: c.week,
      region,
      regionCentre: c.inputs.regions.centreOf(region),
      computedAt: c.inputs.now,
      provisional: c.provisional,
      suppressed: [],
    };
    const set = setter(doc);
    const caseCount = cases?.cases.size ?? 0;
    set('newCases', caseCount, countShown(caseCount, k) && !hide.newCases.has(region));
    addCaseFigures(set, cases, k, !hide.reinfections.has(region));
    addContactFigures(set, contacts, caseCount, k, !hide.activeDevices.has(region));
    const issued = notifications?.issued.size ?? 0;
    set('notifications', notifications?.issued.records ?? 0, countShown(issued, k) && !hide.notifications.has(region));
    addCompliance(set, notifications, k);
    return doc;
  });
}

type Setter = ReturnType<typeof setter<RegionWeekFigures>>;

function addCaseFigures(set: Setter, cases: CaseCell | undefined, k: number, reinfectionsNotHidden: boolean): void {
  if (!cases) return;
  const n = cases.cases.size;
  const reinfected = cases.reinfections.size;
  set('reinfections', reinfected, countShown(reinfected, k) && reinfectionsNotHidden);
  set('reinfectionShare', reinfected / n, rateShown(n, [reinfected, n - reinfected], k));
  set('tracedShare', cases.traced.size / n, rateShown(n, [cases.traced.size, n - cases.traced.size], k));
  if (cases.renewal) {
    const shown = cases.renewal.cases >= k;
    set('rRenewal', cases.renewal.estimate.value, shown);
    set('rRenewalLow', cases.renewal.estimate.low, shown);
    set('rRenewalHigh', cases.renewal.estimate.high, shown);
  }
  if (cases.chains) {
    const shown = rateShown(cases.chains.indexCases, [cases.chains.secondary], k);
    set('rChains', cases.chains.estimate.value, shown);
    set('rChainsLow', cases.chains.estimate.low, shown);
    set('rChainsHigh', cases.chains.estimate.high, shown);
  }
}

function addContactFigures(set: Setter, contacts: ContactCell | undefined, cases: number, k: number, activeNotHidden: boolean): void {
  if (!contacts) return;
  const active = contacts.active.size;
  set('activeDevices', active, countShown(active, k) && activeNotHidden);
  if (active > 0) set('casesPer1000Active', (1000 * cases) / active, rateShown(active, [cases], k));
  set('encounters', contacts.pairDays.records, countShown(contacts.pairDays.size, k));
  set('qualifyingEncounters', contacts.qualifying.records, countShown(contacts.qualifying.size, k));
  if (active > 0) set('contactsPerActiveDevice', (2 * contacts.pairDays.records) / active, rateShown(active, [contacts.pairDays.size], k));
}

function addCompliance(set: Setter, notifications: NotificationCell | undefined, k: number): void {
  const cohort = notifications?.isolationCohort.size ?? 0;
  if (!notifications || cohort === 0) return;
  const broken = notifications.isolationBroken.size;
  const shown = rateShown(cohort, [broken, cohort - broken], k);
  const estimate = wilsonInterval(cohort - broken, cohort);
  set('compliance', estimate.value, shown);
  set('complianceLow', estimate.low, shown);
  set('complianceHigh', estimate.high, shown);
  set('complianceCohort', cohort, shown);
}

function degreeWeekDocuments(c: WeekContext): DegreeWeekFigures[] {
  const { policy, notifications, maxDegree } = c.inputs;
  const k = policy.minCellSize;
  const docs: DegreeWeekFigures[] = [];
  for (let degree = 1; degree <= maxDegree; degree++) {
    const at = (region: RegionId) => notifications.cells.get(`${cellKey(c.week, region)}|${degree}`);
    const hidden = hiddenAcross(c, (r) => at(r)?.issued.size ?? 0);
    for (const region of c.regions) {
      const cell = at(region);
      if (!cell && region !== ALL_REGIONS) continue;
      const doc: DegreeWeekFigures = {
        id: figureId('degree-week', c.week, region, degree),
        kind: 'degree-week',
        weekStart: c.week,
        region,
        degree,
        computedAt: c.inputs.now,
        provisional: c.provisional,
        policyProbability: round(policy.hopProbability ** degree),
        suppressed: [],
      };
      const set = setter(doc);
      const issued = cell?.issued.size ?? 0;
      set('notifications', cell?.issued.records ?? 0, countShown(issued, k) && !hidden.has(region));
      if (cell && issued > 0) {
        set('raised', cell.raised.records, countShown(cell.raised.size, k));
        set('acknowledgedShare', cell.acknowledged.size / issued, rateShown(issued, [cell.acknowledged.size, issued - cell.acknowledged.size], k));
        const cohort = cell.sarCohort.size;
        if (cohort > 0) {
          const sar = wilsonInterval(cell.sarCases.size, cohort);
          const shown = rateShown(cohort, [cell.sarCases.size, cohort - cell.sarCases.size], k);
          set('sar', sar.value, shown);
          set('sarLow', sar.low, shown);
          set('sarHigh', sar.high, shown);
          set('sarCohort', cohort, shown);
        }
      }
      docs.push(doc);
    }
  }
  return docs;
}

/** The regions (not ALL_REGIONS) of this week whose count must be hidden, secondary suppression included. */
function hiddenAcross(c: WeekContext, people: (region: RegionId) => number): Set<RegionId> {
  const counts = new Map(c.regions.filter((r) => r !== ALL_REGIONS).map((r) => [r, people(r)] as const));
  return secondarySuppression(counts, c.inputs.policy.minCellSize);
}

function regionsOf(week: number, maps: readonly Map<string, unknown>[]): RegionId[] {
  const prefix = `${week}|`;
  const regions = new Set<RegionId>([ALL_REGIONS]);
  for (const map of maps) for (const key of map.keys()) if (key.startsWith(prefix)) regions.add(key.slice(prefix.length).split('|')[0]!);
  return [...regions];
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
