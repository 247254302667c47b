import type { DeviceNumber } from '../device.js';

/**
 * A device's place in one case's chain: degree 0 is the index case itself. A device can hold
 * several states for one case: a short chain that reached it late, and a longer one that reached
 * it early (and so can pass exposure on to people it met in between). Only states that no other
 * state of the same case and device beats on every count are kept: their Pareto front.
 */
export interface ExposureState {
  caseId: string;
  device: DeviceNumber;
  degree: number;
  /** From when this device may have carried the infection on (epoch ms). */
  exposedAt: number;
  /** Until when it may (the index case: its infectious period; others: open). */
  until?: number | undefined;
  /**
   * When the case was reported (epoch ms), carried down the chain from the index state so that a
   * warning's delivery can be timed from the report (the TimeToNotify metric). Not part of the
   * state's identity and not stored by the ledgers: states read back from a ledger lack it.
   */
  caseReportedAt?: number | undefined;
}

/** Whether `a` is at least as bad news as `b` on every count: no higher degree, no later, no shorter. */
export function dominates(a: ExposureState, b: ExposureState): boolean {
  return a.degree <= b.degree && a.exposedAt <= b.exposedAt && (a.until ?? Infinity) >= (b.until ?? Infinity);
}

/**
 * Adds `candidate` to a front (the states of one case and device). Returns the new front, or
 * undefined when the candidate adds nothing (an equal or better state is already there).
 */
export function addToFront(front: readonly ExposureState[], candidate: ExposureState): ExposureState[] | undefined {
  if (front.some((s) => dominates(s, candidate))) return undefined;
  return [...front.filter((s) => !dominates(candidate, s)), candidate].sort((a, b) => a.degree - b.degree || a.exposedAt - b.exposedAt);
}

/** The state a device is warned by: its lowest degree, earliest within it. */
export function warningState(front: readonly ExposureState[]): ExposureState | undefined {
  return front.reduce<ExposureState | undefined>(
    (best, s) => (!best || s.degree < best.degree || (s.degree === best.degree && s.exposedAt < best.exposedAt) ? s : best),
    undefined,
  );
}

export function stateKey(s: Pick<ExposureState, 'caseId' | 'device'>): string {
  return `${s.caseId}\u0000${s.device}`;
}
