import { randomUUID } from 'node:crypto';
import type { CredentialSource } from '../auth/credentials.js';
import { SessionKeeper, type SessionKeeperOptions } from '../auth/session-keeper.js';
import type { LoadOptions } from '../config/load-options.js';
import { HttpTarget } from '../http/http-target.js';
import { Recorder } from '../metrics/recorder.js';
import { duplicateOutlook } from '../population/duplicate-outlook.js';
import { Population } from '../population/population.js';
import { SimulatedTime } from '../population/simulated-time.js';
import type { ProgressView } from '../progress/live-progress.js';
import { duplicateWarning } from '../report/duplicate-warning.js';
import type { LoadResult } from '../report/load-result.js';
import { monotonicClock, type Clock } from '../scheduler/clock.js';
import { OpenLoopDispatcher } from '../scheduler/dispatcher.js';
import { seededRandom } from '../scheduler/random.js';
import { runOpenLoop, sleep } from '../scheduler/run-loop.js';
import { assembleResult } from './assemble-result.js';
import { credentialSource, type CognitoClientFactory } from './credential-source.js';
import { ENDPOINTS } from './endpoints.js';
import { IntentRequests } from './intent-requests.js';
import { preflight } from './preflight.js';
import { QueueObserver } from './queue-observer.js';
import { resolvePlan, type RunPlan } from './resolve-plan.js';
import { procProbe } from '../soak/process-probe.js';
import { ProcessWatch } from '../soak/process-watch.js';
import { prepareDevices, type SetupResult } from './setup.js';

export interface RunDependencies {
  clock?: Clock;
  progress: ProgressView;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** The Cognito client for --credentials (tests point it at cognito-local with its credentials). */
  cognitoClient?: CognitoClientFactory;
  /** The session keeper's wall clock and its pause between checks (tests tie token expiry to those checks). */
  sessionClock?: { now: () => number; pause: (ms: number) => Promise<void> };
}

/** How often the session keeper looks for access tokens about to expire. */
const SESSION_CHECK_MS = 1_000;

/**
 * Checks the set-up (preflight), signs the population in, runs the open-loop load for the scenario's
 * duration, drains, and returns the result. A failed check throws PreflightError before any load is sent.
 */
export async function runLoad(options: LoadOptions, deps: RunDependencies): Promise<LoadResult> {
  const clock = deps.clock ?? monotonicClock;
  const plan = resolvePlan(options);
  const startedAt = new Date().toISOString();
  const target = new HttpTarget(options.target, options.connections);
  let credentials: CredentialSource | undefined;
  let keeper: SessionKeeper | undefined;
  try {
    credentials = credentialSource(options, target, deps.cognitoClient);
    const runMs = plan.durationMs + 2 * options['drain-timeout'];
    const watchPid = options['watch-pid'];
    const checks = await preflight({
      targetUrl: options.target,
      target,
      credentials,
      devices: plan.population.devices,
      runEndsAtMs: Date.now() + runMs,
      ...(watchPid === undefined ? {} : { watch: { pid: watchPid, probe: procProbe } }),
    });
    deps.log(`preflight: ${checks.checked.join('; ')}`);
    deps.log(describePlan(plan, options.target));
    const outlook = duplicateOutlook(plan.population);
    if (outlook.tooSmall) deps.log(`warning: ${duplicateWarning(plan.population.devices, outlook)}`);

    const random = seededRandom(options.seed);
    const time = new SimulatedTime(clock.now(), Date.now(), plan.population.timeCompression);
    let submit: IntentRequests['submit'] = () => {};
    const logins = credentials.logins(plan.population.devices);
    const population = new Population(plan.population, random, time, (intent, at) => submit(intent, at), randomUUID, logins);

    deps.log(`signing in ${plan.population.devices} devices via ${credentials.description} …`);
    const setup = await prepareDevices(target, credentials, population, clock, checks.official);
    keeper = await keepSessions(credentials, population, setup, { aheadMs: options['refresh-ahead'], ...deps.sessionClock });
    deps.log(`set-up done in ${setup.seconds.toFixed(1)} s${setup.official ? '' : ' (no official: infection reports and queue stats skipped)'}`);

    const runStartMs = clock.now();
    const observer = setup.official ? new QueueObserver(target, setup.official, clock, runStartMs) : undefined;
    const watch = watchPid === undefined ? undefined : new ProcessWatch(watchPid, options['watch-files'], procProbe, clock, runStartMs);
    const before = await observer?.read();
    watch?.start(options['watch-interval']);
    time.startAt(runStartMs, Date.now());
    population.warmStart(runStartMs);
    const recorder = new Recorder([...ENDPOINTS], options.slice, runStartMs);
    const dispatcher = new OpenLoopDispatcher(
      { maxInFlight: options['max-in-flight'], maxBacklog: options['max-backlog'], lateAfterMs: 50 },
      clock,
      recorder,
    );
    const requests = new IntentRequests(target, dispatcher, population, clock, setup.official);
    submit = requests.submit;
    observer?.start(options['stats-interval']);

    const progress = (nowMs: number) => {
      recorder.series.advance(nowMs);
      const t = recorder.totals();
      deps.progress.update({
        elapsedMs: nowMs - runStartMs,
        durationMs: plan.durationMs,
        completed: t.completed,
        failed: t.failed,
        dropped: t.dropped,
        inFlight: dispatcher.inFlight,
        waiting: dispatcher.waiting,
        p99Ms: recorder.slowestP99Ms(),
      });
    };
    const sources = population.eventSources(plan.arrivals, runStartMs, (ms) => plan.scenario.intensity(ms, plan.durationMs));
    const elapsedMs = await runOpenLoop({ clock, sources, durationMs: plan.durationMs, maxTickMs: 50, onTick: progress, signal: deps.signal });

    dispatcher.abandonBacklog();
    const inFlightDeadline = clock.now() + options['drain-timeout'];
    while (dispatcher.inFlight > 0 && clock.now() < inFlightDeadline) {
      await sleep(20);
      progress(clock.now());
    }
    const unfinished = dispatcher.inFlight;
    recorder.series.finish(clock.now());
    deps.progress.stop();
    await observer?.stop();
    if (observer) deps.log('waiting for the server queue to drain …');
    const drained = await observer?.waitForDrain(options['drain-timeout'], Math.min(200, options['stats-interval']));
    const after = drained?.stats ?? (await observer?.read());
    await keeper.stop();
    await watch?.stop();
    watch?.sample();

    return assembleResult({
      options,
      plan,
      startedAt,
      credentials: credentials.description,
      population,
      setup,
      elapsedMs,
      recorder,
      unfinished,
      requests,
      server: observer === undefined ? undefined : { observer, before, after, drained },
      interrupted: deps.signal?.aborted === true,
      sessions: keeper.stats,
      process: watch?.result(),
    });
  } finally {
    deps.progress.stop();
    await keeper?.stop();
    credentials?.close();
    await target.destroy();
  }
}

function describePlan(plan: RunPlan, target: string): string {
  const p = plan.population;
  return (
    `${plan.scenario.name}: ${p.devices} devices at ×${p.timeCompression.toFixed(0)} time compression ` +
    `(a simulated day every ${(86_400 / p.timeCompression).toFixed(1)} s), scale ${plan.scale} of national peak, ` +
    `${(plan.durationMs / 1_000).toFixed(0)} s against ${target}`
  );
}

/** Refreshes every access token before it expires, for as long as the run lasts. */
async function keepSessions(credentials: CredentialSource, population: Population, setup: SetupResult, keeperOptions: SessionKeeperOptions): Promise<SessionKeeper> {
  const sessions = [...population.devices.map((d) => d.session), ...(setup.official ? [setup.official] : [])];
  const keeper = new SessionKeeper(credentials, () => sessions, keeperOptions);
  await keeper.refreshDue();
  keeper.start(SESSION_CHECK_MS);
  return keeper;
}
