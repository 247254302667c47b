import type { Clock } from './clock.js';
import { RingQueue } from './ring-queue.js';

/** One request with the time it was due. Latency is measured from `scheduledAtMs`, not from sending. */
export interface ScheduledRequest {
  readonly endpoint: number;
  readonly scheduledAtMs: number;
  /** Starts the request; must eventually call `done.complete(this, …)` exactly once. */
  start(done: Completion): void;
}

export interface Completion {
  complete(request: ScheduledRequest, status: number, error?: string): void;
}

/** What the dispatcher tells the metrics about each request's fate. */
export interface DispatchObserver {
  offered(endpoint: number): void;
  /** The backlog was full: the request was never sent. */
  dropped(endpoint: number): void;
  /** Still waiting for a slot when the run ended: never sent. */
  abandoned(endpoint: number): void;
  /** Sent more than `lateAfterMs` after its scheduled time because all in-flight slots were busy. */
  late(endpoint: number): void;
  completed(endpoint: number, latencyMs: number, status: number, error: string | undefined): void;
}

export interface DispatcherLimits {
  maxInFlight: number;
  maxBacklog: number;
  lateAfterMs: number;
}

/**
 * Sends requests as they fall due, at most `maxInFlight` at a time. Requests that find every slot busy
 * wait in a bounded backlog and go out as soon as a slot frees; their wait counts in their latency.
 * When the backlog is full they are dropped and counted, never silently skipped.
 */
export class OpenLoopDispatcher implements Completion {
  private inFlightCount = 0;
  private readonly backlog: RingQueue<ScheduledRequest>;

  constructor(
    private readonly limits: DispatcherLimits,
    private readonly clock: Clock,
    private readonly observer: DispatchObserver,
  ) {
    this.backlog = new RingQueue(limits.maxBacklog);
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  get waiting(): number {
    return this.backlog.size;
  }

  /** True when a request submitted now would be dropped: lets a caller skip building it, then call `drop`. */
  get saturated(): boolean {
    return this.inFlightCount >= this.limits.maxInFlight && this.backlog.size >= this.limits.maxBacklog;
  }

  /** Counts a request that was due but could not even wait for a slot. */
  drop(endpoint: number): void {
    this.observer.offered(endpoint);
    this.observer.dropped(endpoint);
  }

  submit(request: ScheduledRequest): void {
    this.observer.offered(request.endpoint);
    if (this.inFlightCount < this.limits.maxInFlight && this.backlog.size === 0) {
      this.start(request);
    } else if (!this.backlog.push(request)) {
      this.observer.dropped(request.endpoint);
    }
  }

  complete(request: ScheduledRequest, status: number, error?: string): void {
    this.inFlightCount--;
    this.observer.completed(request.endpoint, this.clock.now() - request.scheduledAtMs, status, error);
    this.drain();
  }

  /** At the end of a run, requests still waiting for a slot are counted as abandoned. */
  abandonBacklog(): number {
    let abandoned = 0;
    for (let r = this.backlog.shift(); r !== undefined; r = this.backlog.shift()) {
      this.observer.abandoned(r.endpoint);
      abandoned++;
    }
    return abandoned;
  }

  private drain(): void {
    while (this.inFlightCount < this.limits.maxInFlight) {
      const next = this.backlog.shift();
      if (next === undefined) return;
      this.start(next);
    }
  }

  private start(request: ScheduledRequest): void {
    this.inFlightCount++;
    if (this.clock.now() - request.scheduledAtMs > this.limits.lateAfterMs) this.observer.late(request.endpoint);
    try {
      request.start(this);
    } catch (error) {
      this.complete(request, 0, (error as Error).name || 'start_failed');
    }
  }
}
