import { HttpExchange } from '../src/http/http-exchange.js';
import { HttpTarget, errorKind } from '../src/http/http-target.js';
import { Recorder } from '../src/metrics/recorder.js';
import { monotonicClock } from '../src/scheduler/clock.js';
import { OpenLoopDispatcher, type Completion, type ScheduledRequest } from '../src/scheduler/dispatcher.js';
import { RateSource } from '../src/scheduler/event-source.js';
import { seededRandom } from '../src/scheduler/random.js';
import { runOpenLoop, sleep } from '../src/scheduler/run-loop.js';
import type { EndpointResult } from '../src/metrics/endpoint-stats.js';

/** No extra headers: the same minimal request autocannon sends. */
const HEADERS = {};

/** A GET whose only state is its scheduled time; it is its own response handler. */
class TrivialGet extends HttpExchange implements ScheduledRequest {
  readonly endpoint = 0;
  protected readonly wantsBody = false;
  private done: Completion | undefined;

  constructor(
    readonly scheduledAtMs: number,
    private readonly target: HttpTarget,
  ) {
    super();
  }

  start(done: Completion): void {
    this.done = done;
    this.target.dispatch('GET', '/', HEADERS, undefined, this);
  }

  protected finished(status: number, body: string | undefined, error: Error | undefined): void {
    this.done!.complete(this, status, errorKind(status, body, error));
  }
}

/** Runs this project's generator open-loop at `offeredRate` for `durationMs` against `url`. */
export async function runGenerator(url: string, offeredRate: number, durationMs: number, connections: number): Promise<EndpointResult> {
  const target = new HttpTarget(url, connections);
  const clock = monotonicClock;
  const startMs = clock.now();
  const recorder = new Recorder(['GET /'], 1_000, startMs);
  // Room for 50 ms of arrivals, so the backlog never runs dry between two ticks of the loop at saturation.
  const maxBacklog = Math.max(1_000, Math.ceil(offeredRate * 0.05));
  const dispatcher = new OpenLoopDispatcher({ maxInFlight: connections, maxBacklog, lateAfterMs: 10 }, clock, recorder);
  const source = new RateSource('constant', () => offeredRate, seededRandom(1), startMs, (at) => {
    if (dispatcher.saturated) dispatcher.drop(0);
    else dispatcher.submit(new TrivialGet(at, target));
  });
  const elapsedMs = await runOpenLoop({ clock, sources: [source], durationMs, maxTickMs: 2 });
  dispatcher.abandonBacklog();
  for (let waited = 0; dispatcher.inFlight > 0 && waited < 5_000; waited += 10) await sleep(10);
  await target.close();
  return recorder.endpoints[0]!.toJSON(elapsedMs / 1_000);
}
