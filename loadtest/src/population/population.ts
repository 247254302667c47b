import type { ArrivalProcess } from '../scheduler/arrivals.js';
import { RateSource, type EventSource } from '../scheduler/event-source.js';
import { randomIndex, type Random } from '../scheduler/random.js';
import { Batcher, type ReadyBatch } from './batcher.js';
import { ContactModel } from './contact-model.js';
import { observationJson } from './observation-json.js';
import type { PopulationConfig } from './population-config.js';
import { SimulatedDevice, type IssuedToken } from './simulated-device.js';
import type { SimulatedTime } from './simulated-time.js';
import { trafficRates } from './traffic-rates.js';

/** A request the population wants made, at the time it became due. */
export type Intent =
  | { kind: 'tokens'; device: SimulatedDevice }
  | { kind: 'contacts'; batch: ReadyBatch }
  | { kind: 'notifications'; device: SimulatedDevice }
  | { kind: 'infection'; device: SimulatedDevice };

export type IntentSink = (intent: Intent, scheduledAtMs: number) => void;

export interface PopulationStats {
  /** Observations placed in pending batches before the run, so uploads start at their steady rate. */
  warmStartObservations: number;
  encounters: number;
  duplicates: number;
  /** Encounters dropped because the other device held no token valid at that moment. */
  noValidToken: number;
  batchesFull: number;
  batchesFlushed: number;
  observationsBatched: number;
}

/** Devices living, meeting and reporting under time compression; emits the requests they would make. */
export class Population {
  readonly devices: SimulatedDevice[];
  readonly stats: PopulationStats = {
    warmStartObservations: 0,
    encounters: 0,
    duplicates: 0,
    noValidToken: 0,
    batchesFull: 0,
    batchesFlushed: 0,
    observationsBatched: 0,
  };
  private readonly contacts: ContactModel;
  private readonly batcher: Batcher;
  private readonly dayMs: number;
  private nextTokenRenewal = 0;

  constructor(
    readonly config: PopulationConfig,
    private readonly random: Random,
    private readonly time: SimulatedTime,
    private readonly sink: IntentSink,
    newBatchId: () => string,
    logins: readonly string[],
  ) {
    if (logins.length < config.devices) throw new RangeError(`${config.devices} devices but ${logins.length} logins`);
    this.devices = Array.from({ length: config.devices }, (_, i) => new SimulatedDevice(i, logins[i]!));
    this.contacts = new ContactModel(config, random);
    this.batcher = new Batcher(config.batchSize, config.flushAfterMinutes * 60_000, newBatchId);
    this.dayMs = config.activeHoursPerDay * 3_600_000;
  }

  /** One source per kind of behaviour, all open-loop: they fire on schedule whatever the server does. */
  eventSources(process: ArrivalProcess, startMs: number, intensity: (elapsedMs: number) => number = () => 1): EventSource[] {
    const rates = trafficRates(this.config);
    const source = (rate: number, onEvent: (atMs: number) => void) =>
      new RateSource(process, (ms) => rate * intensity(ms), this.random, startMs, onEvent);
    return [
      source(rates.encounters, (at) => this.encounter(at)),
      source(rates.tokenCalls, (at) => this.renewTokens(at)),
      source(rates.notificationPolls, (at) => this.sink({ kind: 'notifications', device: this.anyDevice() }, at)),
      source(rates.infectionReports, (at) => this.sink({ kind: 'infection', device: this.anyDevice() }, at)),
      this.flushSource(),
    ];
  }

  acceptTokens(device: SimulatedDevice, tokens: IssuedToken[], clockMs: number): void {
    device.acceptTokens(tokens, this.time.wallMs(clockMs));
  }

  /**
   * Without this every device would start with an empty batch and no upload would happen until the first
   * batches filled (tens of seconds). Each device instead starts part-way through a batch, uniformly, with
   * its flush timer started as long ago as those observations would have taken to collect.
   */
  warmStart(atMs: number): void {
    const simMsPerObservation = (this.config.activeHoursPerDay * 3_600_000) / this.config.contactsPerDevicePerDay;
    const simNowMs = this.time.simMs(atMs);
    const wallMs = this.time.wallMs(atMs);
    for (const observer of this.devices) {
      const count = randomIndex(this.random, this.config.batchSize);
      for (let i = 0; i < count; i++) {
        const { target, duplicate } = this.contacts.next(observer.index, observer.seenToday);
        const token = this.devices[target]!.tokenAt(wallMs);
        if (token === undefined) continue;
        if (!duplicate) observer.seenToday.push(target);
        this.stats.warmStartObservations++;
        this.batcher.add(observer, this.observationJson(token, wallMs), simNowMs - (count - i) * simMsPerObservation);
      }
    }
  }

  encounter(atMs: number): void {
    const observer = this.anyDevice();
    const simMs = this.time.simMs(atMs);
    observer.startDay(Math.floor(simMs / this.dayMs));
    const { target, duplicate } = this.contacts.next(observer.index, observer.seenToday);
    const wallMs = this.time.wallMs(atMs);
    const token = this.devices[target]!.tokenAt(wallMs);
    if (token === undefined) {
      this.stats.noValidToken++;
      return;
    }
    this.stats.encounters++;
    if (duplicate) this.stats.duplicates++;
    else observer.seenToday.push(target);
    const ready = this.batcher.add(observer, this.observationJson(token, wallMs), simMs);
    if (ready) this.emitBatch(ready, atMs);
  }

  private renewTokens(atMs: number): void {
    // Round-robin keeps every device renewing once per token lifetime, staggered across the population.
    const device = this.devices[this.nextTokenRenewal]!;
    this.nextTokenRenewal = (this.nextTokenRenewal + 1) % this.devices.length;
    this.sink({ kind: 'tokens', device }, atMs);
  }

  private flushSource(): EventSource {
    return {
      pump: (nowMs) => this.batcher.flushDue(this.time.simMs(nowMs), (b) => this.emitBatch(b, nowMs)),
      nextDueMs: () => this.time.clockMsForSim(this.batcher.nextFlushSimMs()),
    };
  }

  private emitBatch(batch: ReadyBatch, atMs: number): void {
    if (batch.reason === 'full') this.stats.batchesFull++;
    else this.stats.batchesFlushed++;
    this.stats.observationsBatched += batch.observationCount;
    this.sink({ kind: 'contacts', batch }, atMs);
  }

  private observationJson(token: IssuedToken, wallMs: number): string {
    return observationJson(token, wallMs, this.random);
  }

  private anyDevice(): SimulatedDevice {
    return this.devices[randomIndex(this.random, this.devices.length)]!;
  }
}
