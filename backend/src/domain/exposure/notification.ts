import type { DeviceNumber } from '../device.js';
import { isNotifiable, probabilityAtDegree, type ExposurePolicy } from './exposure-policy.js';
import { warningState, type ExposureState } from './exposure-state.js';

/**
 * The warning one device holds for one case: at most one per case and device. When a shorter
 * chain to the device appears, the same warning is raised (lower degree, higher probability),
 * never sent a second time.
 */
export interface ExposureNotification {
  id: string;
  caseId: string;
  device: DeviceNumber;
  degree: number;
  probability: number;
  exposedAt: Date;
  issuedAt: Date;
  /** When a shorter chain last raised it, if one did. */
  updatedAt?: Date | undefined;
  /** When the device first said its user saw it (POST /v1/notifications/acknowledge). */
  acknowledgedAt?: Date | undefined;
}

export interface NotificationEvent {
  kind: 'issued' | 'raised';
  notification: ExposureNotification;
  /** For a raise: the degree it had before. */
  previousDegree?: number | undefined;
  /** When the case was reported (epoch ms), if the state that caused this event still carried it (see ExposureState). */
  caseReportedAt?: number | undefined;
}

/**
 * What a device's warning for a case becomes once its states are `front`: issued when the front
 * first holds a notifiable state, raised when its lowest degree fell, unchanged otherwise.
 */
export function warningAfter(
  previous: ExposureNotification | undefined,
  front: readonly ExposureState[],
  policy: Pick<ExposurePolicy, 'hopProbability' | 'minNotifyProbability'>,
  now: Date,
  newId: () => string,
): NotificationEvent | undefined {
  const best = warningState(front);
  if (!best || !isNotifiable(policy, best.degree)) return undefined;
  const fields = { degree: best.degree, probability: probabilityAtDegree(policy, best.degree), exposedAt: new Date(best.exposedAt) };
  const reported = best.caseReportedAt === undefined ? {} : { caseReportedAt: best.caseReportedAt };
  if (!previous) {
    return { kind: 'issued', notification: { id: newId(), caseId: best.caseId, device: best.device, ...fields, issuedAt: now }, ...reported };
  }
  if (best.degree >= previous.degree) return undefined;
  return { kind: 'raised', previousDegree: previous.degree, notification: { ...previous, ...fields, updatedAt: now }, ...reported };
}
