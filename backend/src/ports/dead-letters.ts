/** A message one of the consumers gave up on, kept with the reason for an operator. */
export interface DeadLetter {
  id: string;
  /** Which consumer gave up: the contact batch consumer or the tracer. */
  source: 'contacts' | 'tracing';
  body: string;
  reason: string;
  attempts: number;
  failedAt: Date;
}

/** The operator's side of the dead letters (`npm run dead-letters`): inspect, send back, drop. */
export interface DeadLetters {
  list(limit: number): Promise<DeadLetter[]>;
  get(id: string): Promise<DeadLetter | undefined>;
  /** Sends each back to the queue it came from, to be processed once more; returns how many. */
  redrive(ids: readonly string[] | 'all'): Promise<number>;
  purge(ids: readonly string[] | 'all'): Promise<number>;
}
