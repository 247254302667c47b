import type { SerialInterval } from './serial-interval.js';

/** The parameters of the derived figures, set by officials in configuration (README, "Analytics"). */
export interface EpidemiologyPolicy {
  /** k: the fewest people a shown number may describe. */
  minCellSize: number;
  /** A warned person reporting an infection this long after the exposure counts as a secondary case. */
  incubationMs: number;
  /** Isolation runs from the warning until this long after the exposure. */
  isolationMs: number;
  /** A case this long after the same device's previous case is a reinfection. */
  reinfectionAfterMs: number;
  serialInterval: SerialInterval;
  /** How late contacts and reports may still arrive: a cohort is final this long after its window closes. */
  lateDataMs: number;
  /** The exposure policy's probability per hop, which the secondary attack rate by degree tests. */
  hopProbability: number;
}
