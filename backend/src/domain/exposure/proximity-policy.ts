/**
 * How close and how long counts as exposure: minutes weighted by attenuation bucket, as Google and
 * Apple's Exposure Notification (ExposureWindow / ScanInstance, daily summaries) and the
 * Corona-Warn-App risk calculation do. Every number here is policy that health officials set.
 */
export interface ProximityPolicy {
  /**
   * Attenuation (dB) at which the buckets end: immediate ≤ t0 < near ≤ t1 < medium ≤ t2 < other.
   * Attenuation is the advertised TX power minus the received RSSI (plus correction): the path loss.
   */
  attenuationThresholdsDb: readonly [number, number, number];
  /** Weight of a minute in each bucket: immediate, near, medium, other (GAEN: 0–2.5). */
  bucketWeights: readonly [number, number, number, number];
  /** Weight of a minute in which neither side measured a signal. */
  unknownSignalWeight: number;
  /** TX power assumed when the advertisement carried none (the bridge's default advertises 0 dBm). */
  defaultTxPowerDbm: number;
  /** Added to every measured RSSI: the calibration of the receivers in use. */
  rssiCorrectionDb: number;
  /** Weighted minutes one encounter needs to expose. Each encounter is judged alone (as the NHS app judges each window). */
  minWeightedMinutes: number;
  /** Sightings of a pair closer than this are one encounter, the gap counted (GAEN caps a scan gap at 300 s). */
  encounterGapMs: number;
}

export const BUCKETS = ['immediate', 'near', 'medium', 'other', 'unknown'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Bucket index (0–3) of a measured attenuation. */
export function bucketOf(policy: ProximityPolicy, attenuationDb: number): 0 | 1 | 2 | 3 {
  const [t0, t1, t2] = policy.attenuationThresholdsDb;
  if (attenuationDb <= t0) return 0;
  if (attenuationDb <= t1) return 1;
  if (attenuationDb <= t2) return 2;
  return 3;
}

/** Path loss of a sighting interval, clamped at 0 as GAEN does; undefined when no RSSI was measured. */
export function attenuationOf(policy: ProximityPolicy, rssi: number | undefined, txPower: number | undefined): number | undefined {
  if (rssi === undefined) return undefined;
  return Math.max(0, (txPower ?? policy.defaultTxPowerDbm) - (rssi + policy.rssiCorrectionDb));
}

/** Checks the policy's shape: ascending thresholds, weights in 0–2.5; returns the problems. */
export function proximityPolicyProblems(policy: ProximityPolicy): string[] {
  const problems: string[] = [];
  const [t0, t1, t2] = policy.attenuationThresholdsDb;
  if (!(t0 < t1 && t1 < t2)) problems.push('attenuation thresholds must ascend (immediate < near < medium)');
  if ([...policy.bucketWeights, policy.unknownSignalWeight].some((w) => !(w >= 0 && w <= 2.5))) problems.push('weights must lie in 0–2.5');
  return problems;
}
