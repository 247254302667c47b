import type { SimulatedDevice } from './simulated-device.js';

export interface ReadyBatch {
  device: SimulatedDevice;
  batchId: string;
  observationCount: number;
  /** The complete POST /v1/contacts body. */
  body: string;
  reason: 'full' | 'flush';
}

interface OpenBatch {
  device: SimulatedDevice;
  generation: number;
  flushAtSimMs: number;
}

/**
 * Collects each device's observations into batches: a batch goes out when it holds `batchSize`
 * observations or when its flush timer (started by its first observation) fires, whichever is first.
 */
export class Batcher {
  /** Batches in the order they opened, which is also the order their timers fire. */
  private open: OpenBatch[] = [];
  private head = 0;

  constructor(
    private readonly batchSize: number,
    private readonly flushAfterSimMs: number,
    private readonly newBatchId: () => string,
  ) {}

  add(device: SimulatedDevice, observationJson: string, simNowMs: number): ReadyBatch | undefined {
    if (device.pending.length === 0) {
      this.open.push({ device, generation: device.batchGeneration, flushAtSimMs: simNowMs + this.flushAfterSimMs });
    }
    device.pending.push(observationJson);
    return device.pending.length >= this.batchSize ? this.take(device, 'full') : undefined;
  }

  /** Emits every batch whose flush timer has fired by `simNowMs`. */
  flushDue(simNowMs: number, onReady: (batch: ReadyBatch) => void): void {
    while (this.head < this.open.length && this.open[this.head]!.flushAtSimMs <= simNowMs) {
      const { device, generation } = this.open[this.head++]!;
      if (device.batchGeneration === generation && device.pending.length > 0) onReady(this.take(device, 'flush'));
    }
    if (this.head > 1_024 && this.head * 2 > this.open.length) {
      this.open = this.open.slice(this.head);
      this.head = 0;
    }
  }

  /** Simulated time of the next flush timer, or Infinity when none is pending. */
  nextFlushSimMs(): number {
    return this.open[this.head]?.flushAtSimMs ?? Number.POSITIVE_INFINITY;
  }

  private take(device: SimulatedDevice, reason: ReadyBatch['reason']): ReadyBatch {
    const batchId = this.newBatchId();
    const body = `{"batchId":"${batchId}","observations":[${device.pending.join(',')}]}`;
    const batch = { device, batchId, observationCount: device.pending.length, body, reason };
    device.pending = [];
    device.batchGeneration++;
    return batch;
  }
}
