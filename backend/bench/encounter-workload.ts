/**
 * The uploads of a population as the design sees them: every encounter is between a pair of
 * devices that has not met before (in this token window), both sides report it (so half the
 * observations are two-sided duplicates), and some encounters are seen again later by one side (a
 * repeat sighting that merges into the same contact). Each device uploads its own sightings in
 * batches of 50. Pairs are enumerated so that none repeats until every device has met N/2 others:
 * with a population of a few thousand the measured phase stores mostly new contacts, as a real
 * day's traffic does, instead of merging into what a warm-up already stored.
 */
export interface EncounterWorkloadOptions {
  /** Each device's token (what the others see it advertise). */
  tokens: readonly string[];
  /** One in this many encounters is seen a second time, later, by one side (0: never). */
  repeatEvery: number;
  /**
   * When encounters happen: spread over this span (which must lie in the tokens' window and its
   * grace, and in the past). Each sighting lasts a minute; a repeat comes ten minutes later.
   */
  from: Date;
  to: Date;
  batchSize?: number;
}

export interface Sighting {
  token: string;
  firstSeen: string;
  lastSeen: string;
  rssi: number;
}

export interface Upload {
  /** Index of the uploading device. */
  device: number;
  observations: Sighting[];
}

export interface WorkloadCounts {
  encounters: number;
  observations: number;
  /** Observations of an encounter's other side or of a repeat: merged into a contact, not new. */
  duplicates: number;
}

export class EncounterWorkload {
  private readonly buffers: Sighting[][];
  private readonly ready: Upload[] = [];
  private readonly batchSize: number;
  private encounter = 0;
  readonly counts: WorkloadCounts = { encounters: 0, observations: 0, duplicates: 0 };

  constructor(private readonly options: EncounterWorkloadOptions) {
    if (options.tokens.length < 3) throw new Error('an encounter workload needs at least 3 devices');
    if (options.to.getTime() - options.from.getTime() <= 12 * 60_000) throw new Error('an encounter workload needs a span of more than 12 minutes');
    this.batchSize = options.batchSize ?? 50;
    this.buffers = options.tokens.map(() => []);
  }

  /** The next full batch of one device's sightings. */
  next(): Upload {
    while (this.ready.length === 0) this.meet();
    return this.ready.shift()!;
  }

  /** Encounter k: device k mod N meets the device d ahead of it, d growing by one every N encounters. */
  private meet(): void {
    const n = this.options.tokens.length;
    const k = this.encounter++;
    const distance = 1 + (Math.floor(k / n) % Math.floor((n - 1) / 2));
    const a = k % n;
    const b = (a + distance) % n;
    const from = this.options.from.getTime();
    const span = this.options.to.getTime() - from - 11 * 60_000;
    const at = from + ((k * 7919 * 1000) % span);
    this.see(a, b, at, at + 60_000);
    this.see(b, a, at, at + 60_000);
    this.counts.encounters++;
    this.counts.duplicates++;
    if (this.options.repeatEvery > 0 && k % this.options.repeatEvery === 0) {
      this.see(a, b, at + 10 * 60_000, at + 11 * 60_000);
      this.counts.duplicates++;
    }
  }

  private see(observer: number, seen: number, from: number, to: number): void {
    const buffer = this.buffers[observer]!;
    buffer.push({ token: this.options.tokens[seen]!, firstSeen: new Date(from).toISOString(), lastSeen: new Date(to).toISOString(), rssi: -60 });
    this.counts.observations++;
    if (buffer.length === this.batchSize) {
      this.ready.push({ device: observer, observations: buffer.splice(0) });
    }
  }
}
