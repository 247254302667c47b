import { describe, expect, it } from 'vitest';
import { NOW } from '../../support/builders.js';
import { testClock } from '../../support/embedded-services.js';
import { embeddedWorldBackend, TracingWorld } from '../../support/tracing-world.js';

describe("a relayed infectious person's token warns nobody through the relay, and officials see the flag", () => {
  it('keeps the relayed sightings for review, warns the genuine contact only, and lists the flag', async () => {
    const clock = testClock(NOW);
    const backend = await embeddedWorldBackend(clock, { TOKEN_MAX_REPORTERS_PER_WINDOW: '10' });
    try {
      const world = new TracingWorld(backend, clock);
      // A genuine contact of X yesterday; and X's token of today's window replayed to a crowd of 12.
      await world.upload('A', [{ of: 'X', from: 24 * 60 + 30, to: 24 * 60 + 10 }]);
      for (let i = 0; i < 12; i++) await world.upload(`crowd${i}`, [{ of: 'X', from: 40, to: 10 }]);
      await world.report('X');
      await world.settle();
      expect(await world.degrees(['A', ...Array.from({ length: 12 }, (_, i) => `crowd${i}`)])).toEqual({ A: 1 });
      expect((await backend.services.contacts.stats()).contacts).toBe(13);
      const flags = await backend.services.tokenFlags.list(10);
      expect(flags).toEqual([expect.objectContaining({ device: (await world.device('X')).number, reason: 'too_many_reporters', reporters: 12 })]);
    } finally {
      await backend.close();
    }
  });
});
