import type { GattCentral, GattSession } from '../../../device-bridge/src/ports/gatt.js';
import type { WireObservation } from '../../../device-bridge/src/ports/outbox-store.js';
import type { RelayApi } from '../../../device-bridge/src/ports/relay-api.js';
import type { ContactsApi, TokenApi } from '../../../device-bridge/src/ports/token-api.js';
import type { InFlight } from './in-flight.js';

/** What a device counts about its own traffic, for the live view. */
export interface DeviceTraffic {
  tokenFetches: number;
  uploads: number;
  observationsUploaded: number;
  uploadRetries: number;
  uploadsRefused: number;
  relayedBatches: number;
}

export const noTraffic = (): DeviceTraffic => ({ tokenFetches: 0, uploads: 0, observationsUploaded: 0, uploadRetries: 0, uploadsRefused: 0, relayedBatches: 0 });

/**
 * The bridge core's network ports, passed through to the real API client and remembered in
 * `inFlight` (so the town's step waits for them) and counted in `traffic`.
 */
export function trackedApi(api: TokenApi & ContactsApi & RelayApi, inFlight: InFlight, traffic: DeviceTraffic): TokenApi & ContactsApi & RelayApi {
  return {
    fetchTokens: (count) => {
      traffic.tokenFetches++;
      return inFlight.track(api.fetchTokens(count));
    },
    postContacts: (batchId: string, observations: readonly WireObservation[]) =>
      inFlight.track(
        api.postContacts(batchId, observations).then((outcome) => {
          if (outcome.kind === 'accepted') {
            traffic.uploads++;
            traffic.observationsUploaded += observations.length;
          } else if (outcome.kind === 'retry') traffic.uploadRetries++;
          else traffic.uploadsRefused++;
          return outcome;
        }),
      ),
    postRelayBatches: (envelopes) =>
      inFlight.track(
        api.postRelayBatches(envelopes).then((outcome) => {
          if (outcome.kind === 'results') traffic.relayedBatches += outcome.results.filter((r) => r.outcome === 'accepted').length;
          return outcome;
        }),
      ),
  };
}

/** A GATT central whose sessions (connect to disconnect) count as work in flight. */
export function trackedCentral(central: GattCentral, inFlight: InFlight): GattCentral {
  return {
    connect: async (address, service, timeoutMs) => {
      let done!: () => void;
      void inFlight.track(new Promise<void>((resolve) => (done = resolve)));
      let session: GattSession;
      try {
        session = await central.connect(address, service, timeoutMs);
      } catch (error) {
        done();
        throw error;
      }
      return {
        mtu: session.mtu,
        read: (c) => session.read(c),
        write: (c, d) => session.write(c, d),
        disconnect: () => session.disconnect().finally(done),
      };
    },
  };
}
