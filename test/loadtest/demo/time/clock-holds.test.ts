import { describe, expect, it } from 'vitest';
import { ClockHolds } from '../../../../loadtest/demo/time/clock-holds.js';
import { SharedClock } from '../../../../loadtest/demo/time/shared-clock.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('the town clock waits for work checked against it', () => {
  it('moves at once when nothing holds it', async () => {
    const clock = new SharedClock();
    clock.set(1_000);
    await new ClockHolds(clock).moveTo(61_000);
    expect(clock.now()).toBe(61_000);
  });

  it('stays put while a sign-in is under way, and also for one that starts while it waits', async () => {
    const clock = new SharedClock();
    clock.set(1_000);
    const holds = new ClockHolds(clock);
    const first = deferred();
    const second = deferred();
    void holds.hold(first.promise);
    const moved = holds.moveTo(61_000);

    first.resolve();
    void holds.hold(second.promise);
    await first.promise;
    await Promise.resolve();
    expect(clock.now(), 'the second sign-in started before the clock moved').toBe(1_000);

    second.reject(new Error('refused'));
    await moved;
    expect(clock.now(), 'a failed sign-in releases the clock too').toBe(61_000);
  });
});
