import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bridge } from '../../../device-bridge/src/core/bridge.js';
import { MemoryOutbox } from '../../../device-bridge/src/outbox/memory-outbox.js';
import type { ContactsApi, TokenApi, TokenWindow } from '../../../device-bridge/src/ports/token-api.js';
import { SimAir } from '../../../device-bridge/src/radio/sim/sim-air.js';
import { advertFor, tokenBytes } from '../support/builders.js';

const HOUR = 3_600_000;

function setup() {
  const clock = { t: 10 * HOUR + 60_000, now: () => clock.t };
  const window: TokenWindow = { token: tokenBytes(999).toString('base64url'), validFrom: 9 * HOUR, validUntil: 12 * HOUR };
  const posted: string[] = [];
  const api: TokenApi & ContactsApi = {
    fetchTokens: async () => [window],
    postContacts: async (_id, obs) => {
      posted.push(...obs.map((o) => o.token));
      return { kind: 'accepted', accepted: obs.length, dropped: {}, clipped: 0 };
    },
  };
  const air = new SimAir({ noiseSigmaDb: 0 });
  const radio = air.addRadio({ x: 0, y: 0 });
  const outbox = new MemoryOutbox();
  const bridge = new Bridge({ radio, outbox, tokenApi: api, contactsApi: api, clock }, { scanWatchdogMs: 60_000, prefetch: 1 });
  return { clock, air, radio, outbox, bridge, posted };
}

describe('Bridge: watchdog and own advertisements', () => {
  afterEach(() => vi.useRealTimers());

  it('retries advertising 5 s after the radio failed', async () => {
    vi.useFakeTimers();
    const { radio, bridge } = setup();
    const advertise = radio.advertise.bind(radio);
    let failures = 1;
    radio.advertise = async (payload, options) => {
      if (failures-- > 0) throw new Error('HCI command 0x200a timed out');
      return advertise(payload, options);
    };
    await bridge.start();
    expect(bridge.stats()).toMatchObject({ rotations: 0, address: undefined });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(bridge.stats().rotations).toBe(1);
    expect(bridge.stats().address).toBeDefined();
    await bridge.stop();
  });

  it('restarts scanning after a minute without reports, not before', async () => {
    const { clock, bridge } = setup();
    await bridge.start();
    clock.t += 59_999;
    bridge.sweep();
    expect(bridge.stats().scanRestarts).toBe(0);
    clock.t += 1;
    bridge.sweep();
    expect(bridge.stats().scanRestarts).toBe(1);
    await bridge.stop();
  });

  it('any report, even a foreign one, keeps the watchdog quiet', async () => {
    const { clock, air, bridge } = setup();
    await bridge.start();
    const beacon = air.addRadio({ x: 1, y: 0 });
    await beacon.start();
    await beacon.advertise(Buffer.from([0x02, 0x01, 0x06]));
    for (let i = 0; i < 3; i++) {
      clock.t += 30_000;
      air.tick();
      bridge.sweep();
    }
    expect(bridge.stats()).toMatchObject({ scanRestarts: 0, foreign: 3 });
    await bridge.stop();
  });

  it('never uploads its own token, even when its scanner hears itself', async () => {
    const { bridge, posted } = setup();
    await bridge.start();
    bridge.handleReport(advertFor(999), -30); // our own advertisement (token 999)
    bridge.handleReport(advertFor(1), -60);
    await bridge.stop();
    expect(bridge.stats().ownEchoes).toBe(1);
    expect(posted).toEqual([tokenBytes(1).toString('base64url')]);
  });
});
