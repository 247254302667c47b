/**
 * A small epidemic among app users, for seeding a backend with a scenario whose truth is known:
 * who infected whom, who reported when, who isolated when warned. Everything is seeded.
 */
export interface RegionSpec {
  name: string;
  /** Where its people live and meet (their points are jittered around it by up to ~1 km). */
  centre: { lat: number; lon: number };
  people: number;
  /** Multiplies every transmission probability among its people (0: nobody infects anybody there). */
  transmission?: number;
  /** Its people meet only each other. */
  isolated?: boolean;
}

export interface Phase {
  /** Day index (0 = the scenario's first day) when imported infections arrive. */
  startDay: number;
  /** Imported infections, per region name. */
  seeds: Record<string, number>;
  /** Imported infections among people infected before (who lost their immunity), per region name: known reinfections. */
  reinfections?: Record<string, number>;
}

export interface EpidemicConfig {
  seed: number;
  /** Midnight UTC of day 0 (a Monday keeps the weeks tidy). */
  start: number;
  /** Days with meetings: [first, last] ranges. */
  activeDays: readonly (readonly [number, number])[];
  regions: readonly RegionSpec[];
  householdSize: number;
  /** Community meetings one person starts per day, on average (0–3). */
  communityMeetings: number;
  /** Share of community meetings with someone from another region (held in the starter's region). */
  crossRegionShare: number;
  /** Share of community meetings long and close enough to expose (20–60 min at near range). */
  longMeetingShare: number;
  /** Per day an infectious and a susceptible housemate spend together. */
  householdTransmission: number;
  /** Per long community meeting with an infectious person. */
  communityTransmission: number;
  /** Days from infection to symptoms, drawn uniformly. */
  incubationDays: readonly [number, number];
  /** Share of warned people who isolate until 10 days after their exposure. */
  compliance: number;
  /** Share of warned people whose device acknowledges the warning. */
  acknowledgement: number;
  /** Days from the exposure that a warned person is asked to isolate. */
  isolationDays: number;
  /** Share of the recovered who are susceptible again when a phase starts. */
  immunityLoss: number;
  phases: readonly Phase[];
}
