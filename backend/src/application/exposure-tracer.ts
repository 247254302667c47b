import { randomUUID } from 'node:crypto';
import type { Contact } from '../domain/contacts/contact.js';
import type { DeviceNumber } from '../domain/device.js';
import { exposureProbability, exposuresCausedBy, type Exposure } from '../domain/exposure/exposure.js';
import { isNotifiable, type ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import type { ExposureNotification } from '../domain/exposure/notification.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { Notifier } from '../ports/notifier.js';
import type { Clock } from './clock.js';
import type { ExposureIndex } from './exposure-index.js';

/**
 * Walks a case's contact graph outwards, degree by degree, notifying every device that a
 * qualifying encounter exposed while the policy's probability allows. Each device is
 * reached at its lowest degree; the notifier guarantees one notification per (case, device).
 */
export class ExposureTracer {
  constructor(
    private readonly contacts: ContactStore,
    private readonly notifier: Notifier,
    private readonly index: ExposureIndex,
    private readonly policy: ExposurePolicy,
    private readonly clock: Clock,
  ) {}

  /** Spreads from `source` through all of its stored contacts. */
  async spreadFrom(source: Exposure, indexDevice: DeviceNumber): Promise<ExposureNotification[]> {
    if (!isNotifiable(this.policy, source.degree + 1)) return [];
    const contacts = await this.contacts.contactsOf([source.device], this.horizon(source.exposedAt));
    return this.notifyAndSpread(exposuresCausedBy(source, contacts, this.policy, this.clock()), indexDevice);
  }

  /** Checks one pair's contacts (a new contact of an exposed device) and spreads from whoever it exposed. */
  async spreadThroughPair(source: Exposure, other: DeviceNumber, indexDevice: DeviceNumber): Promise<ExposureNotification[]> {
    if (other === indexDevice || !isNotifiable(this.policy, source.degree + 1)) return [];
    const pair = await this.contacts.contactsBetween(source.device, other);
    return this.notifyAndSpread(exposuresCausedBy(source, pair, this.policy, this.clock()), indexDevice);
  }

  private async notifyAndSpread(first: Exposure[], indexDevice: DeviceNumber): Promise<ExposureNotification[]> {
    const reached = new Set<DeviceNumber>([indexDevice]);
    const delivered: ExposureNotification[] = [];
    let frontier = earliestPerDevice(first, reached);
    while (frontier.length > 0) {
      const fresh = await this.notifier.deliver(frontier.map((e) => this.toNotification(e)));
      delivered.push(...fresh);
      for (const e of frontier) reached.add(e.device);
      // Only devices notified just now spread further: those notified before already did.
      const freshDevices = new Set(fresh.map((n) => n.device));
      const sources = frontier.filter((e) => freshDevices.has(e.device));
      for (const e of sources) this.index.add(e, indexDevice, new Date(e.exposedAt.getTime() + this.policy.lookbackMs));
      frontier = await this.nextDegree(sources, reached);
    }
    return delivered;
  }

  private async nextDegree(sources: Exposure[], reached: Set<DeviceNumber>): Promise<Exposure[]> {
    if (sources.length === 0 || !isNotifiable(this.policy, sources[0]!.degree + 1)) return [];
    const since = this.horizon(new Date(Math.min(...sources.map((s) => s.exposedAt.getTime()))));
    const contacts = await this.contacts.contactsOf(
      sources.map((s) => s.device),
      since,
    );
    const byDevice = groupByDevice(contacts);
    const caused = sources.flatMap((s) => exposuresCausedBy(s, byDevice.get(s.device) ?? [], this.policy, this.clock()));
    return earliestPerDevice(caused, reached);
  }

  private horizon(exposedAt: Date): Date {
    return new Date(Math.max(exposedAt.getTime(), this.clock().getTime() - this.policy.lookbackMs));
  }

  private toNotification(exposure: Exposure): ExposureNotification {
    return {
      id: randomUUID(),
      caseId: exposure.caseId,
      device: exposure.device,
      degree: exposure.degree,
      probability: exposureProbability(this.policy, exposure),
      exposedAt: exposure.exposedAt,
      issuedAt: this.clock(),
    };
  }
}

function earliestPerDevice(exposures: Exposure[], reached: ReadonlySet<DeviceNumber>): Exposure[] {
  const best = new Map<DeviceNumber, Exposure>();
  for (const e of exposures) {
    if (reached.has(e.device)) continue;
    const current = best.get(e.device);
    if (!current || e.exposedAt < current.exposedAt) best.set(e.device, e);
  }
  return [...best.values()];
}

function groupByDevice(contacts: Contact[]): Map<DeviceNumber, Contact[]> {
  const map = new Map<DeviceNumber, Contact[]>();
  for (const c of contacts) {
    for (const d of [c.deviceLow, c.deviceHigh]) {
      const list = map.get(d);
      if (list) list.push(c);
      else map.set(d, [c]);
    }
  }
  return map;
}
