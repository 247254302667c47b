import type { DeviceNumber } from '../domain/device.js';
import type { Exposure } from '../domain/exposure/exposure.js';
import { maxNotifiedDegree, type ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import type { DeviceDirectory } from '../ports/device-directory.js';
import type { Notifier } from '../ports/notifier.js';
import type { Clock } from './clock.js';

interface Entry {
  exposure: Exposure;
  activeUntil: number;
  /** The case's index device: never notified of its own case. */
  indexDevice: DeviceNumber;
}

/**
 * The consumer's small in-memory view of who can pass exposure on (infectious index cases
 * and notified devices that are not at the last notified degree) and of erased devices.
 * Token resolution and late-contact checks consult it instead of reading storage per
 * observation; it reloads from storage every `refreshMs`.
 */
export class ExposureIndex {
  private byDevice = new Map<DeviceNumber, Entry[]>();
  private known = new Set<string>();
  private erased = new Set<DeviceNumber>();
  private loadedAt = -Infinity;

  constructor(
    private readonly devices: DeviceDirectory,
    private readonly notifier: Notifier,
    private readonly policy: ExposurePolicy,
    private readonly refreshMs: number,
    private readonly clock: Clock,
  ) {}

  isErased(device: DeviceNumber): boolean {
    return this.erased.has(device);
  }

  markErased(device: DeviceNumber): void {
    this.erased.add(device);
    this.byDevice.delete(device);
  }

  exposuresOf(device: DeviceNumber): { exposure: Exposure; indexDevice: DeviceNumber }[] {
    const now = this.clock().getTime();
    return (this.byDevice.get(device) ?? []).filter((e) => e.activeUntil > now);
  }

  /** Adds an exposure; returns false if it was already known. */
  add(exposure: Exposure, indexDevice: DeviceNumber, activeUntil: Date): boolean {
    const key = `${exposure.caseId}:${exposure.device}`;
    if (this.known.has(key)) return false;
    this.known.add(key);
    const entry = { exposure, indexDevice, activeUntil: activeUntil.getTime() };
    const list = this.byDevice.get(exposure.device);
    if (list) list.push(entry);
    else this.byDevice.set(exposure.device, [entry]);
    return true;
  }

  /**
   * Reloads when stale. Returns the exposures this instance had not seen: contacts stored
   * between their creation elsewhere and now must still be checked against them.
   */
  async refreshIfStale(): Promise<{ exposure: Exposure; indexDevice: DeviceNumber }[]> {
    const now = this.clock();
    if (now.getTime() - this.loadedAt < this.refreshMs) return [];
    this.loadedAt = now.getTime();
    const lookbackStart = new Date(now.getTime() - this.policy.lookbackMs);
    const [cases, spreading, erased] = await Promise.all([
      this.devices.listActiveCases(now),
      this.notifier.listSpreading(lookbackStart, maxNotifiedDegree(this.policy)),
      this.devices.listErasedSince(lookbackStart),
    ]);
    this.erased = new Set(erased);
    const indexOfCase = new Map(cases.map((c) => [c.id, c.device]));
    const discovered: { exposure: Exposure; indexDevice: DeviceNumber }[] = [];
    for (const c of cases) {
      const exposure: Exposure = { caseId: c.id, device: c.device, degree: 0, exposedAt: c.infectiousFrom };
      if (this.add(exposure, c.device, c.infectiousUntil)) discovered.push({ exposure, indexDevice: c.device });
    }
    for (const n of spreading) {
      const indexDevice = indexOfCase.get(n.caseId);
      if (indexDevice === undefined) continue; // the case is over
      const exposure: Exposure = { caseId: n.caseId, device: n.device, degree: n.degree, exposedAt: n.exposedAt };
      if (this.add(exposure, indexDevice, new Date(n.exposedAt.getTime() + this.policy.lookbackMs))) {
        discovered.push({ exposure, indexDevice });
      }
    }
    this.dropExpired(now.getTime());
    return discovered;
  }

  private dropExpired(now: number): void {
    for (const [device, entries] of this.byDevice) {
      const live = entries.filter((e) => e.activeUntil > now);
      if (live.length === 0) this.byDevice.delete(device);
      else this.byDevice.set(device, live);
    }
  }
}
