import { keyedLabel } from '../../domain/relay/owner-data.js';
import type { DedicatedDeviceRegistry } from '../../ports/dedicated-devices.js';
import type { OwnerAlertLedger } from '../../ports/owner-alert-ledger.js';
import type { Clock } from '../clock.js';

export interface RelayOperationsView {
  relays: { relay: string; delivered: number; duplicates: number; rejected: number; lastDeliveryAt: string | null }[];
  devices: {
    device: string;
    highestSeq: number;
    lastDeliveryAt: string | null;
    /** Sealed on the device → received here, for the newest accepted batch. */
    deliveryLagSeconds: number | null;
    /** Since the last delivery, by the backend's clock. */
    silentForSeconds: number | null;
    bundleUntil: string;
    gaps: number;
    missingBatches: number;
    droppedByDevice: number;
  }[];
  rejections: Record<string, number>;
  ownerAlerts: { sent: number; rateLimited: number; failed: number };
}

/**
 * What officials see of relaying: per relay and per dedicated device, under keyed pseudonyms
 * (never an account, a device id, a device number or a phone number), with counts only.
 */
export async function relayOperations(deps: { registry: DedicatedDeviceRegistry; ledger: OwnerAlertLedger; ownerDataKey: Buffer; clock: Clock }): Promise<RelayOperationsView> {
  const [devices, gaps, counters, ownerAlerts] = await Promise.all([deps.registry.listDevices(), deps.registry.listGaps(), deps.registry.listCounters(), deps.ledger.stats()]);
  const now = deps.clock().getTime();
  const relays = new Map<string, RelayOperationsView['relays'][number]>();
  const rejections: Record<string, number> = {};
  for (const c of counters) {
    const row = relays.get(c.relay) ?? { relay: c.relay, delivered: 0, duplicates: 0, rejected: 0, lastDeliveryAt: null };
    if (c.outcome === 'accepted') {
      row.delivered += c.count;
      if (row.lastDeliveryAt === null || c.lastAt.toISOString() > row.lastDeliveryAt) row.lastDeliveryAt = c.lastAt.toISOString();
    } else if (c.outcome === 'duplicate') row.duplicates += c.count;
    else {
      row.rejected += c.count;
      rejections[c.outcome] = (rejections[c.outcome] ?? 0) + c.count;
    }
    relays.set(c.relay, row);
  }
  return {
    relays: [...relays.values()],
    devices: devices.map((d) => {
      const own = gaps.filter((g) => g.deviceId === d.deviceId);
      return {
        device: keyedLabel(deps.ownerDataKey, 'dedicated-device', d.deviceId, 9),
        highestSeq: d.chain.highestSeq,
        lastDeliveryAt: d.lastDeliveryAt?.toISOString() ?? null,
        deliveryLagSeconds: d.lastLagMs === undefined ? null : Math.round(d.lastLagMs / 1000),
        silentForSeconds: d.lastDeliveryAt ? Math.round((now - d.lastDeliveryAt.getTime()) / 1000) : null,
        bundleUntil: d.bundleUntil.toISOString(),
        gaps: own.length,
        missingBatches: own.reduce((n, g) => n + g.toSeq - g.fromSeq + 1, 0),
        droppedByDevice: own.reduce((n, g) => n + g.droppedByDevice, 0),
      };
    }),
    rejections,
    ownerAlerts,
  };
}
