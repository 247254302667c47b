import type { DeviceNumber } from '../domain/device.js';

export interface EnqueueResult {
  /** False when a message with this key was already accepted (the re-post of a batch). */
  enqueued: boolean;
}

/** The producer side of the contact queue, as the submit and process handlers use it. */
export interface ContactQueue {
  /**
   * Durably enqueues a message body. `dedupKey` identifies the batch; `contentHash` lets the
   * queue tell a harmless re-post from a conflicting reuse of the same batch id.
   */
  enqueue(body: string, dedupKey: string, contentHash: string, reporter: DeviceNumber): Promise<EnqueueResult>;
  /** Parks a message that can never be processed, with the reason, for an operator to inspect. */
  deadLetter(body: string, reason: string, attempts: number): Promise<void>;
  stats(): Promise<QueueStats>;
  /**
   * Erasure: removes the device's batch receipts, its messages still waiting where the queue allows
   * it (SQS cannot delete by content: the consumer drops those of erased reporters when it receives
   * them), and its dead letters. `scrub` rewrites another reporter's dead-lettered body without the
   * device's observations (undefined: leave it). Returns how many messages were removed or rewritten.
   */
  forgetReporter(device: DeviceNumber, scrub: (body: string) => string | undefined): Promise<number>;
  /** Drops receipts and dead letters older than the limits (retention). */
  purge(receiptsBefore: Date, deadLettersBefore: Date): Promise<{ batchReceipts: number; deadLetters: number }>;
}

export interface QueueStats {
  /** Messages waiting to be received. */
  backlog: number;
  /** Received and not yet acknowledged. */
  inFlight: number;
  deadLettered: number;
  oldestAgeSeconds: number;
}

export class ConflictingBatchError extends Error {
  constructor(readonly dedupKey: string) {
    super(`batch ${dedupKey} was already accepted with different content`);
    this.name = 'ConflictingBatchError';
  }
}
