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
  enqueue(body: string, dedupKey: string, contentHash: string): Promise<EnqueueResult>;
  /** Parks a message that can never be processed, with the reason, for an operator to inspect. */
  deadLetter(body: string, reason: string, attempts: number): Promise<void>;
  stats(): Promise<QueueStats>;
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
