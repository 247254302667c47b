import { randomUUID } from 'node:crypto';
import { CognitoUserPool, readCredentialsFile } from '../auth/cognito-pool.js';
import type { CredentialSource } from '../auth/credentials.js';
import { LocalSignUp } from '../auth/local-signup.js';
import type { LoadOptions } from '../config/load-options.js';
import { HttpTarget } from '../http/http-target.js';
import { Recorder } from '../metrics/recorder.js';
import { Population } from '../population/population.js';
import { SimulatedTime } from '../population/simulated-time.js';
import type { ProgressView } from '../progress/live-progress.js';
import type { LoadResult } from '../report/load-result.js';
import { monotonicClock, type Clock } from '../scheduler/clock.js';
import { OpenLoopDispatcher } from '../scheduler/dispatcher.js';
import { seededRandom } from '../scheduler/random.js';
import { runOpenLoop, sleep } from '../scheduler/run-loop.js';
import { assembleResult } from './assemble-result.js';
import { ENDPOINTS } from './endpoints.js';
import { IntentRequests } from './intent-requests.js';
import { QueueObserver } from './queue-observer.js';
import { resolvePlan } from './resolve-plan.js';
import { prepareDevices } from './setup.js';
import { SessionKeeper } from '../auth/session-keeper.js';

export interface RunDependencies {
  clock?: Clock;
  progress: ProgressView;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** Sets up the population, runs the open-loop load for the scenario's duration, drains, and returns the result. */
export async function runLoad(options: LoadOptions, deps: RunDependencies): Promise<LoadResult> {
  const clock = deps.clock ?? monotonicClock;
  const plan = resolvePlan(options);
  const startedAt = new Date().toISOString();
  const target = new HttpTarget(options.target, options.connections);
  const credentials: CredentialSource = options.credentials
    ? new CognitoUserPool(readCredentialsFile(options.credentials))
    : new LocalSignUp(target, options['official-phone'], options['official-totp-secret']);
  const random = seededRandom(options.seed);
  const time = new SimulatedTime(clock.now(), Date.now(), plan.population.timeCompression);
  let submit: IntentRequests['submit'] = () => {};
  const population = new Population(plan.population, random, time, (intent, at) => submit(intent, at), randomUUID, Date.now() % 1_000);

  deps.log(
    `${plan.scenario.name}: ${plan.population.devices} devices at ×${plan.population.timeCompression.toFixed(0)} time compression ` +
      `(a simulated day every ${(86_400 / plan.population.timeCompression).toFixed(1)} s), scale ${plan.scale} of national peak, ` +
      `${(plan.durationMs / 1_000).toFixed(0)} s against ${options.target}`,
  );
  deps.log(`signing in ${plan.population.devices} devices via ${credentials.description} …`);
  try {
    const setup = await prepareDevices(target, credentials, population, clock);
    deps.log(`set-up done in ${setup.seconds.toFixed(1)} s${setup.officialAuthorization ? '' : ' (no official: infection reports and queue stats skipped)'}`);

    const runStartMs = clock.now();
    const observer = setup.officialAuthorization ? new QueueObserver(target, setup.officialAuthorization, clock, runStartMs) : undefined;
    const before = await observer?.read();
    time.startAt(runStartMs, Date.now());
    population.warmStart(runStartMs);
    const recorder = new Recorder([...ENDPOINTS], options.slice, runStartMs);
    const dispatcher = new OpenLoopDispatcher(
      { maxInFlight: options['max-in-flight'], maxBacklog: options['max-backlog'], lateAfterMs: 50 },
      clock,
      recorder,
    );
    const requests = new IntentRequests(target, dispatcher, population, clock, setup.officialAuthorization);
    submit = requests.submit;
    observer?.start(options['stats-interval']);
    const sessions = new SessionKeeper(credentials, population.devices, deps.log);
    sessions.start();

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
        p99Ms: recorder.overall.percentileMs(99),
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
    sessions.stop();
    recorder.series.finish(clock.now());
    deps.progress.stop();
    await observer?.stop();
    if (observer) deps.log('waiting for the server queue to drain …');
    const drained = await observer?.waitForDrain(options['drain-timeout'], Math.min(200, options['stats-interval']));
    const after = drained?.stats ?? (await observer?.read());

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
    });
  } finally {
    deps.progress.stop();
    await target.destroy();
  }
}
