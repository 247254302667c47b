/** One sealed batch's fate at the backend (POST /v1/relay/batches). */
export interface RelayedBatchResult {
  index: number;
  status: number;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  code?: string | undefined;
  /** Present whenever the backend stores the batch (now or before): write it back to the device. */
  ack?: Buffer | undefined;
}

export type RelayUploadOutcome = { kind: 'results'; results: RelayedBatchResult[] } | { kind: 'retry'; reason: string };

export interface RelayApi {
  postRelayBatches(envelopes: readonly Buffer[]): Promise<RelayUploadOutcome>;
}
