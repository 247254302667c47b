import { ATT_APPLICATION_ERROR, ATT_INVALID_OFFSET, ATT_SUCCESS, type GattServiceSpec } from '../ports/gatt.js';
import type { RelayBatchStore } from '../ports/relay-batch-store.js';
import { ACK_UUID, BATCH_UUID, decodeSelect, encodeBatchFrame, encodeStatus, RELAY_SERVICE_UUID, STATUS_UUID } from '../relay/relay-gatt-protocol.js';
import type { BatchSealer } from './batch-sealer.js';

export type RelayServerEvent =
  | { type: 'handed_over'; seq: number; bytes: number }
  | { type: 'acknowledged'; seq: number; freed: number }
  | { type: 'ack_refused'; reason: string };

/**
 * The dedicated device's side of the relay service (protocol in relay/relay-gatt-protocol.ts):
 * the status, a batch selected by index and sealed afresh for this read, and the ack that frees
 * batches. Only a valid backend signature frees anything: a relay can make the device hand a batch
 * over again, never drop one.
 */
export class RelayGattServer {
  private frame: Buffer | undefined;

  constructor(
    private readonly store: RelayBatchStore,
    private readonly sealer: BatchSealer,
    private readonly onEvent: (event: RelayServerEvent) => void = () => {},
  ) {}

  /** A new connection starts with no batch selected. */
  reset(): void {
    this.frame = undefined;
  }

  service(): GattServiceSpec {
    return {
      uuid: RELAY_SERVICE_UUID,
      characteristics: [
        { uuid: STATUS_UUID, onRead: async (offset) => slice(encodeStatus(this.store.heldCount()), offset) },
        { uuid: BATCH_UUID, onWrite: (data) => this.select(data), onRead: async (offset) => (this.frame ? slice(this.frame, offset) : { result: ATT_APPLICATION_ERROR }) },
        { uuid: ACK_UUID, onWrite: async (data) => this.acknowledge(data) },
      ],
    };
  }

  private async select(data: Buffer): Promise<number> {
    const index = decodeSelect(data);
    const batch = index === undefined ? undefined : this.store.held(index + 1)[index];
    if (index === undefined || batch === undefined) {
      this.frame = undefined;
      return ATT_APPLICATION_ERROR;
    }
    this.frame = encodeBatchFrame(index, await this.sealer.sealForHandover(batch.signed));
    this.onEvent({ type: 'handed_over', seq: batch.seq, bytes: this.frame.length });
    return ATT_SUCCESS;
  }

  private acknowledge(data: Buffer): number {
    const verified = this.sealer.verifyAck(data, (hash) => this.store.seqOfHash(hash));
    if (verified === undefined) {
      this.onEvent({ type: 'ack_refused', reason: 'not a backend acknowledgement of a batch this device holds' });
      return ATT_APPLICATION_ERROR;
    }
    const freed = this.store.freeThrough(verified.seq);
    this.frame = undefined;
    this.onEvent({ type: 'acknowledged', seq: verified.seq, freed });
    return ATT_SUCCESS;
  }
}

function slice(value: Buffer, offset: number): { result: number; data?: Buffer } {
  return offset > value.length ? { result: ATT_INVALID_OFFSET } : { result: ATT_SUCCESS, data: value.subarray(offset) };
}
