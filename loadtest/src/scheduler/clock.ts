/** Milliseconds from an arbitrary origin. Injected so tests can drive time with fake timers. */
export interface Clock {
  now(): number;
}

export const monotonicClock: Clock = { now: () => performance.now() };

/** Follows Date.now, which vitest's fake timers control. */
export const wallClock: Clock = { now: () => Date.now() };
