import { describe, expect, it } from 'vitest';
import { SimAir } from '../../../device-bridge/src/radio/sim/sim-air.js';
import { advertFor } from '../support/builders.js';
import { describeRadioContract } from './radio-contract.js';

describeRadioContract('sim', async () => {
  const air = new SimAir({ noiseSigmaDb: 0 });
  const a = air.addRadio({ x: 0, y: 0 });
  const b = air.addRadio({ x: 3, y: 4 });
  return {
    a,
    b,
    pump: async () => {
      air.tick();
      air.tick();
    },
    cleanup: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe('SimAir', () => {
  it.each([
    [1, -59],
    [10, -81],
    [30, -91],
  ])('models RSSI at %i m as %i dBm (0 dBm TX, no noise)', (d, expected) => {
    expect(new SimAir({ noiseSigmaDb: 0 }).rssiAt(d, 0)).toBe(expected);
  });

  it('delivers only within range', async () => {
    const air = new SimAir({ rangeM: 20, noiseSigmaDb: 0 });
    const tx = air.addRadio({ x: 0, y: 0 });
    const near = air.addRadio({ x: 19, y: 0 });
    const far = air.addRadio({ x: 21, y: 0 });
    await Promise.all([tx.start(), near.start(), far.start()]);
    const got = { near: 0, far: 0 };
    near.onReport(() => got.near++);
    far.onReport(() => got.far++);
    await near.startScan();
    await far.startScan();
    await tx.advertise(advertFor(1));
    air.tick();
    expect(got).toEqual({ near: 1, far: 0 });
  });

  // How fast a tick is belongs to npm run bench:bridge (the crowd case), not to an assertion here.
  it('delivers among thousands of devices in one tick', async () => {
    const air = new SimAir({ rangeM: 10 });
    const radios = Array.from({ length: 3000 }, (_, i) => air.addRadio({ x: (i % 60) * 5, y: Math.floor(i / 60) * 5 }));
    for (const [i, r] of radios.entries()) {
      await r.start();
      await r.startScan();
      await r.advertise(advertFor(i));
    }
    air.tick();
    expect(air.delivered).toBeGreaterThan(3000 * 4);
  });
});
