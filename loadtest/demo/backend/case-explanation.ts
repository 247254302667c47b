/**
 * What the stores say about one case, in plain data that crosses the backend thread's boundary:
 * who holds a warning and through which encounter, whom the policy's probability cut-off stopped,
 * and who met the case without an encounter that qualified. Device numbers, never people: the
 * simulator maps them to its town.
 */
export interface EncounterFacts {
  start: number;
  end: number;
  /** Minutes per bucket: immediate, near, medium, other, unknown. */
  minutesByBucket: [number, number, number, number, number];
  weightedMinutes: number;
}

export interface WarnedDevice {
  device: number;
  degree: number;
  probability: number;
  exposedAt: number;
  /** The device whose state passed the exposure on (degree − 1), and the encounter that did it. */
  source: number | undefined;
  encounter: EncounterFacts | undefined;
}

export interface CutOffDevice {
  device: number;
  /** The degree it would have had, and the probability below the policy's minimum. */
  degree: number;
  probability: number;
  source: number;
  encounter: EncounterFacts;
}

export interface NearMiss {
  device: number;
  /** The strongest encounter with the case in its infectious period, below the threshold. */
  best: EncounterFacts;
}

export interface CaseExplanation {
  caseId: string;
  indexDevice: number;
  warned: WarnedDevice[];
  cutOff: CutOffDevice[];
  nearMisses: NearMiss[];
}
