import type { BackendStats } from '../api/official-desk.js';
import type { EncounterFacts } from '../backend/case-explanation.js';

export interface CaseLine {
  caseIndex: number;
  person: number;
  name: string;
  caseId: string;
  reportedAt: number;
  symptomOnset: number;
}

/** A warning as the person's device holds it (API for phones, the ledger for dedicated devices). */
export interface WarningLine {
  person: number;
  name: string;
  carries: 'phone' | 'dedicated';
  notificationId: string;
  caseId: string;
  degree: number;
  probability: number;
  exposedAt: number;
  /** When the phone's app (or the owner's SMS) saw it; town time. */
  seenAt: number;
  raisedAt?: number | undefined;
  /** From the stores: whose state passed it on, and the encounter. */
  why?: { source: number | undefined; sourceName: string | undefined; encounter: EncounterFacts | undefined } | undefined;
}

export interface TimelineSample {
  minute: number;
  contactsStored: number;
  observationsProcessed: number;
  cases: number;
  notifications: number;
  warnedByDegree: Record<number, number>;
}

export interface ClientCounts {
  tokenFetches: number;
  rotations: number;
  uploads: number;
  observationsUploaded: number;
  uploadRetries: number;
  uploadsRefused: number;
  relaySessions: number;
  relayedBatches: number;
  relayFailures: number;
  failedCalls: number;
  sightings: number;
}

/** What the live view shows: updated by the run as it happens, rendered from a copy. */
export interface LiveState {
  label: string;
  phase: string;
  minute: number;
  totalMinutes: number;
  start: number;
  wallStartedAt: number;
  speed: number | 'max';
  phones: number;
  dedicated: number;
  unequipped: number;
  people: number;
  started: number;
  client: ClientCounts;
  backend: BackendStats | undefined;
  backendErrors: number;
  cases: CaseLine[];
  warnings: WarningLine[];
  cutOff: number;
  nearMisses: number;
  timeline: TimelineSample[];
  ownerSms: number;
}

export function newLiveState(label: string, start: number, totalMinutes: number, speed: number | 'max'): LiveState {
  return {
    label,
    phase: 'starting',
    minute: 0,
    totalMinutes,
    start,
    wallStartedAt: Date.now(),
    speed,
    phones: 0,
    dedicated: 0,
    unequipped: 0,
    people: 0,
    started: 0,
    client: { tokenFetches: 0, rotations: 0, uploads: 0, observationsUploaded: 0, uploadRetries: 0, uploadsRefused: 0, relaySessions: 0, relayedBatches: 0, relayFailures: 0, failedCalls: 0, sightings: 0 },
    backend: undefined,
    backendErrors: 0,
    cases: [],
    warnings: [],
    cutOff: 0,
    nearMisses: 0,
    timeline: [],
    ownerSms: 0,
  };
}
