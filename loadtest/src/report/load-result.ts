import type { SessionStats } from '../auth/session-keeper.js';
import type { EndpointResult } from '../metrics/endpoint-stats.js';
import type { Slice } from '../metrics/time-series.js';
import type { PopulationStats } from '../population/population.js';
import type { TrafficRates } from '../population/traffic-rates.js';
import type { AcceptedContacts } from '../run/intent-requests.js';
import type { ProcessWatchResult } from '../soak/process-watch.js';
import type { QueueSample, ServerStats } from '../run/queue-observer.js';

export interface DuplicateShares {
  modelled: number;
  /** From the contact model run for a simulated day with this population (see duplicate-outlook.ts). */
  expected: number;
  /** Duplicates ÷ encounters in the run; null when there were no encounters. */
  achieved: number | null;
  /** The population is too small to come within 5 points of the modelled share. */
  tooSmall: boolean;
  devicesNeeded?: number;
}

/** The JSON result of one load run; the HTML report is drawn from exactly this. */
export interface LoadResult {
  tool: 'proxitrace-loadtest';
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  target: string;
  scenario: { name: string; description: string; arrivals: string };
  settings: {
    durationSeconds: number;
    scale: number;
    equivalentUsers: number;
    maxInFlight: number;
    maxBacklog: number;
    connections: number;
    seed: number;
    credentials: string;
  };
  population: {
    devices: number;
    timeCompression: number;
    /** Real seconds one simulated 24-hour day takes. */
    simulatedDayRealSeconds: number;
    tokensPerCall: number;
    batchSize: number;
    flushAfterMinutes: number;
    contactsPerDevicePerDay: number;
    duplicateFraction: number;
    /** The duplicate share modelled, the one this population was expected to reach, and the one it reached. */
    duplicates: DuplicateShares;
    /** Rates the population offers (per real second) at intensity 1. */
    offeredRates: TrafficRates;
    stats: PopulationStats;
  };
  setup: { devicesSignedIn: number; official: boolean; initialTokenCalls: number; seconds: number };
  elapsedSeconds: number;
  /** offered = completed + dropped + abandoned + unfinished. */
  totals: { offered: number; completed: number; failed: number; dropped: number; abandoned: number; unfinished: number };
  endpoints: EndpointResult[];
  timeSeries: Slice[];
  contacts: AcceptedContacts;
  infectionsSkippedNoOfficial: number;
  /** Access tokens renewed during the run (not part of the measured load). */
  sessions: SessionStats;
  server: {
    available: boolean;
    before?: ServerStats;
    after?: ServerStats;
    /** Seconds after the load stopped until backlog and in-flight reached 0; null if it did not within the timeout. */
    drainSeconds: number | null;
    maxBacklog: number;
    maxOldestAgeSeconds: number;
    samples: QueueSample[];
    statsFailures: number;
  };
  /** With --watch-pid: the server's memory and watched file sizes over the run; null otherwise. */
  process: ProcessWatchResult | null;
  notes: string[];
}
