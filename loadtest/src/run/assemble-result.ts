import { DESIGN_BASELINE } from '../capacity/assumptions.js';
import type { SessionStats } from '../auth/session-keeper.js';
import type { LoadOptions } from '../config/load-options.js';
import type { Recorder } from '../metrics/recorder.js';
import { duplicateOutlook } from '../population/duplicate-outlook.js';
import type { Population } from '../population/population.js';
import { trafficRates } from '../population/traffic-rates.js';
import type { LoadResult } from '../report/load-result.js';
import { ENDPOINTS, Endpoint } from './endpoints.js';
import type { IntentRequests } from './intent-requests.js';
import type { QueueObserver, ServerStats } from './queue-observer.js';
import type { ProcessWatchResult } from '../soak/process-watch.js';
import type { RunPlan } from './resolve-plan.js';
import type { SetupResult } from './setup.js';

export interface RunOutcome {
  options: LoadOptions;
  plan: RunPlan;
  startedAt: string;
  credentials: string;
  population: Population;
  setup: SetupResult;
  elapsedMs: number;
  recorder: Recorder;
  /** Requests still in flight when the drain timeout ran out. */
  unfinished: number;
  requests: IntentRequests;
  /** Present when an official could read GET /v1/admin/stats. */
  server?: {
    observer: QueueObserver;
    before?: ServerStats;
    after?: ServerStats;
    drained?: { stats: ServerStats; seconds: number };
  };
  interrupted: boolean;
  sessions: SessionStats;
  /** The server process and files, with --watch-pid. */
  process: ProcessWatchResult | undefined;
}

/** Gathers everything a run measured into the JSON result the reports are drawn from. */
export function assembleResult(o: RunOutcome): LoadResult {
  const { plan, population, recorder, server } = o;
  const samples = server?.observer.samples ?? [];
  const elapsedSeconds = o.elapsedMs / 1_000;
  return {
    tool: 'proxitrace-loadtest',
    schemaVersion: 1,
    startedAt: o.startedAt,
    finishedAt: new Date().toISOString(),
    target: o.options.target,
    scenario: { name: plan.scenario.name, description: plan.scenario.description, arrivals: plan.arrivals },
    settings: {
      durationSeconds: plan.durationMs / 1_000,
      scale: plan.scale,
      equivalentUsers: Math.round(plan.scale * DESIGN_BASELINE.users),
      maxInFlight: o.options['max-in-flight'],
      maxBacklog: o.options['max-backlog'],
      connections: o.options.connections,
      seed: o.options.seed,
      credentials: o.credentials,
    },
    population: {
      devices: plan.population.devices,
      timeCompression: plan.population.timeCompression,
      simulatedDayRealSeconds: 86_400 / plan.population.timeCompression,
      tokensPerCall: plan.population.tokensPerCall,
      batchSize: plan.population.batchSize,
      flushAfterMinutes: plan.population.flushAfterMinutes,
      contactsPerDevicePerDay: plan.population.contactsPerDevicePerDay,
      duplicateFraction: plan.population.duplicateFraction,
      duplicates: {
        ...duplicateOutlook(plan.population),
        achieved: population.stats.encounters > 0 ? population.stats.duplicates / population.stats.encounters : null,
      },
      offeredRates: trafficRates(plan.population),
      stats: { ...population.stats },
    },
    setup: {
      devicesSignedIn: o.setup.devicesSignedIn,
      official: o.setup.official !== undefined,
      initialTokenCalls: o.setup.initialTokenCalls,
      seconds: o.setup.seconds,
    },
    elapsedSeconds,
    totals: { ...recorder.totals(), unfinished: o.unfinished },
    endpoints: recorder.endpoints.filter((e) => e.offered > 0).map((e) => e.toJSON(elapsedSeconds)),
    timeSeries: recorder.series.slices,
    contacts: { ...o.requests.accepted },
    infectionsSkippedNoOfficial: o.requests.infectionsSkipped,
    sessions: { ...o.sessions },
    server: {
      available: server !== undefined,
      before: server?.before,
      after: server?.after,
      drainSeconds: server?.drained?.seconds ?? null,
      maxBacklog: Math.max(0, ...samples.map((s) => s.backlog)),
      maxOldestAgeSeconds: Math.max(0, ...samples.map((s) => s.oldestAgeSeconds)),
      samples,
      statsFailures: server?.observer.failures ?? 0,
    },
    process: o.process ?? null,
    notes: notes(o),
  };
}

function notes(o: RunOutcome): string[] {
  const out: string[] = [];
  if (o.unfinished > 0) out.push(`${o.unfinished} requests were still in flight after --drain-timeout and were abandoned.`);
  if (o.server && !o.server.drained) {
    const reads = o.server.observer.samples.length;
    out.push(
      reads === 0
        ? `The server's statistics could not be read (${o.server.observer.failures} failed GET /v1/admin/stats), so whether its queue drained is unknown.`
        : 'The server queue did not drain within --drain-timeout.',
    );
  }
  if (o.sessions.refreshFailures > 0) {
    out.push(`${o.sessions.refreshFailures} access-token refreshes failed; the last: ${o.sessions.lastFailure}`);
  }
  const skipped = o.population.stats.noValidToken;
  if (skipped > 0) out.push(`${skipped} encounters were skipped: the observed device held no token valid at that moment.`);
  if (o.process?.exited) out.push(`The watched server process (PID ${o.process.pid}) exited during the run.`);
  if (o.interrupted) out.push('The run was interrupted before its planned duration.');
  out.push(...rateLimitNotes(o.recorder));
  return out;
}

/** What each endpoint's 429s mean, so that a spent server quota is not mistaken for a capacity limit. */
function rateLimitNotes(recorder: Recorder): string[] {
  return recorder.endpoints.flatMap((endpoint) => {
    const refused = endpoint.statusCodes.get(429) ?? 0;
    if (refused === 0) return [];
    const why =
      endpoint.name === ENDPOINTS[Endpoint.verificationCodes]
        ? "the official's quota of verification codes is spent: raise the server's VERIFICATION_CODES_PER_OFFICIAL_PER_HOUR and …_PER_DAY (20 and 100 by default) for load runs"
        : 'a rate limit of the server refused them (see its configuration); these are not capacity failures';
    return [`${refused} × ${endpoint.name} answered 429: ${why}.`];
  });
}
