import type { BackendServices } from '../../../backend/src/composition/backend-services.js';
import type { Contact } from '../../../backend/src/domain/contacts/contact.js';
import type { SightingInterval } from '../../../backend/src/domain/contacts/sighting-interval.js';
import type { DeviceNumber } from '../../../backend/src/domain/device.js';
import { encountersOf, firstQualifyingEncounter, type Encounter } from '../../../backend/src/domain/exposure/encounter.js';
import { exposureCausedBy } from '../../../backend/src/domain/exposure/exposure.js';
import { isNotifiable, probabilityAtDegree } from '../../../backend/src/domain/exposure/exposure-policy.js';
import type { ExposureState } from '../../../backend/src/domain/exposure/exposure-state.js';
import type { ExposureNotification } from '../../../backend/src/domain/exposure/notification.js';
import type { CaseExplanation, CutOffDevice, EncounterFacts, NearMiss, WarnedDevice } from './case-explanation.js';

export interface StoredWarning {
  id: string;
  caseId: string;
  degree: number;
  probability: number;
  exposedAt: number;
  issuedAt: number;
  updatedAt: number | undefined;
}

/**
 * Reads the backend's own stores through its ports, inside the backend's thread, and judges what
 * it reads with the domain's functions (the ones the tracer uses): the demo's "why" comes from
 * the contacts the backend stored and the states it recorded, not from the simulator.
 */
export class StoreInspector {
  constructor(private readonly services: BackendServices) {}

  /** The device number behind a device id (the identity subject), or undefined. */
  async deviceNumber(subject: string): Promise<number | undefined> {
    const found = await this.services.devices.lookup(subject);
    return found.state === 'active' ? found.device.number : undefined;
  }

  /** Warnings as the ledger holds them (dedicated devices have no session to ask the API with). */
  async warningsOf(devices: readonly number[]): Promise<Record<number, StoredWarning[]>> {
    const out: Record<number, StoredWarning[]> = {};
    for (const device of devices) out[device] = (await this.services.ledger.notificationsFor(device)).map(toStoredWarning);
    return out;
  }

  async explainCase(caseId: string, indexDevice: number): Promise<CaseExplanation> {
    const policy = this.services.config.exposurePolicy;
    const now = this.services.clock();
    const since = new Date(now.getTime() - policy.lookbackMs);
    const states = await this.statesOfCase(caseId, indexDevice, since);
    const byDevice = groupStates(states);
    const warned: WarnedDevice[] = [];
    const cutOff: CutOffDevice[] = [];
    const nearMisses: NearMiss[] = [];
    for (const device of byDevice.keys()) {
      if (device === indexDevice) continue;
      const warning = (await this.services.ledger.notificationsFor(device)).find((n) => n.caseId === caseId);
      if (warning) warned.push(await this.causeOf(warning, byDevice, now));
    }
    // Whom the cut-off stopped: qualifying encounters after a state of the last notified degree.
    const partnersOf = await this.partners([...byDevice.keys()], since);
    for (const [device, front] of byDevice) {
      for (const state of front) {
        if (isNotifiable(policy, state.degree + 1) || !isNotifiable(policy, state.degree)) continue;
        for (const [other, intervals] of partnersOf.get(device) ?? []) {
          if (byDevice.has(other) || cutOff.some((c) => c.device === other)) continue;
          const encounter = firstQualifyingEncounter(intervals, policy.proximity, Math.max(state.exposedAt, since.getTime()), state.until);
          if (encounter) cutOff.push({ device: other, degree: state.degree + 1, probability: probabilityAtDegree(policy, state.degree + 1), source: device, encounter: facts(encounter) });
        }
      }
    }
    // Who met the case in its infectious period without an encounter that qualified.
    const index = byDevice.get(indexDevice)?.find((s) => s.degree === 0);
    if (index) {
      for (const [other, intervals] of partnersOf.get(indexDevice) ?? []) {
        if (byDevice.has(other)) continue;
        const encounters = encountersOf(intervals, policy.proximity, Math.max(index.exposedAt, since.getTime()), index.until);
        const best = encounters.reduce<Encounter | undefined>((a, e) => (!a || e.weightedMinutes > a.weightedMinutes ? e : a), undefined);
        if (best) nearMisses.push({ device: other, best: facts(best) });
      }
    }
    return { caseId, indexDevice, warned, cutOff, nearMisses };
  }

  /** Every state of the case: from the index device outwards along stored contacts. */
  private async statesOfCase(caseId: string, indexDevice: number, since: Date): Promise<ExposureState[]> {
    const found = new Map<number, ExposureState[]>();
    let frontier: number[] = [indexDevice];
    const visited = new Set<number>();
    while (frontier.length > 0) {
      frontier.forEach((d) => visited.add(d));
      const states = (await this.services.ledger.statesOf(frontier)).filter((s) => s.caseId === caseId);
      for (const s of states) found.set(s.device, [...(found.get(s.device) ?? []), s]);
      const withState = [...new Set(states.map((s) => s.device))];
      const contacts = withState.length > 0 ? await this.services.contacts.contactsOf(withState, since) : [];
      frontier = [...new Set(contacts.flatMap((c) => [c.deviceLow, c.deviceHigh]))].filter((d) => !visited.has(d));
    }
    return [...found.values()].flat();
  }

  /** The state one degree up whose encounter gave this warning its degree and exposure time. */
  private async causeOf(warning: ExposureNotification, byDevice: Map<number, ExposureState[]>, now: Date): Promise<WarnedDevice> {
    const policy = this.services.config.exposurePolicy;
    const base = { device: warning.device, degree: warning.degree, probability: warning.probability, exposedAt: warning.exposedAt.getTime() };
    for (const [source, front] of byDevice) {
      for (const state of front.filter((s) => s.degree === warning.degree - 1)) {
        const caused = exposureCausedBy(state, warning.device, intervalsOf(await this.services.contacts.contactsBetween(source, warning.device)), policy, now);
        if (caused && caused.state.exposedAt === base.exposedAt) return { ...base, source, encounter: facts(caused.encounter) };
      }
    }
    return { ...base, source: undefined, encounter: undefined };
  }

  /** For each device: its partners and the intervals of their contacts. */
  private async partners(devices: readonly DeviceNumber[], since: Date): Promise<Map<number, Map<number, SightingInterval[]>>> {
    const out = new Map<number, Map<number, SightingInterval[]>>();
    const contacts = devices.length > 0 ? await this.services.contacts.contactsOf(devices, since) : [];
    const wanted = new Set(devices);
    for (const c of contacts) {
      for (const [self, other] of [
        [c.deviceLow, c.deviceHigh],
        [c.deviceHigh, c.deviceLow],
      ] as const) {
        if (!wanted.has(self)) continue;
        const map = out.get(self) ?? new Map<number, SightingInterval[]>();
        map.set(other, [...(map.get(other) ?? []), ...c.intervals]);
        out.set(self, map);
      }
    }
    return out;
  }
}

function intervalsOf(contacts: readonly Contact[]): SightingInterval[] {
  return contacts.flatMap((c) => c.intervals);
}

function groupStates(states: readonly ExposureState[]): Map<number, ExposureState[]> {
  const map = new Map<number, ExposureState[]>();
  for (const s of states) map.set(s.device, [...(map.get(s.device) ?? []), s]);
  return map;
}

function facts(e: Encounter): EncounterFacts {
  return { start: e.start, end: e.end, minutesByBucket: [...e.minutesByBucket], weightedMinutes: e.weightedMinutes };
}

function toStoredWarning(n: ExposureNotification): StoredWarning {
  return { id: n.id, caseId: n.caseId, degree: n.degree, probability: n.probability, exposedAt: n.exposedAt.getTime(), issuedAt: n.issuedAt.getTime(), updatedAt: n.updatedAt?.getTime() };
}
