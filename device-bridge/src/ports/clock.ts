/** Time source for the core; tests use vitest's fake timers or a manual clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
