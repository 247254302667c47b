/** What really happened in a simulated epidemic: the record a test compares the analytics with. */
export interface Meeting {
  a: number;
  b: number;
  start: number;
  end: number;
  /** Where it was, and in which region. */
  place: { lat: number; lon: number };
  region: string;
  rssi: number;
  /** Long and close enough to expose (the default policy: 15 weighted minutes at near range). */
  qualifying: boolean;
}

export interface Infection {
  person: number;
  /** Undefined for an imported infection. */
  infector?: number | undefined;
  at: number;
  onset: number;
  /** When the person reports a positive test (they all do). */
  reportAt: number;
}

export interface Acknowledgement {
  person: number;
  warning: string;
  at: number;
  complied: boolean;
}

export interface EpidemicTruth {
  meetings: Meeting[];
  infections: Infection[];
  acknowledgements: Acknowledgement[];
  /** Each person's home region. */
  homeRegion: string[];
}
