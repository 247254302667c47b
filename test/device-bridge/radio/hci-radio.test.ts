import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../device-bridge/src/ports/logger.js';
import { HciRadio } from '../../../device-bridge/src/radio/hci/hci-radio.js';
import { nobleMapSizes, clearNobleMaps } from '../../../device-bridge/src/radio/hci/noble-bounds.js';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';
import { advertFor } from '../support/builders.js';
import { describeRadioContract } from './radio-contract.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function hciPair(quirks: { disallowAdvertiseReEnable?: boolean } = {}) {
  const air = await VirtualAir.start([
    { id: 'a-scan', position: { x: 0, y: 0 } },
    { id: 'a-adv', position: { x: 0, y: 0 }, quirks },
    { id: 'b-scan', position: { x: 2, y: 0 } },
    { id: 'b-adv', position: { x: 2, y: 0 }, quirks },
  ]);
  const make = (n: string) => HciRadio.create({ scanner: { uart: air.path(`${n}-scan`) }, advertiser: { uart: air.path(`${n}-adv`) }, logger: silentLogger, commandTimeoutMs: 3_000 });
  const a = await make('a');
  const b = await make('b');
  return {
    air,
    a,
    b,
    pump: async () => {
      await sleep(350);
    },
    cleanup: async () => {
      await Promise.all([a.close(), b.close()]);
      await air.stop();
    },
  };
}

describe('hci radio (real noble + bleno over ptys)', () => {
  describeRadioContract('hci on virtual controllers', () => hciPair(), 20_000);

  it('rotates with LE Set Random Address while advertising is off, then random own-address parameters', { timeout: 20_000 }, async () => {
    const { air, a, b, cleanup } = await hciPair();
    try {
      await Promise.all([a.start(), b.start()]);
      await a.advertise(advertFor(1), { rotateAddress: true });
      await a.advertise(advertFor(2), { rotateAddress: true });
      const log = air.controller('a-adv').commands;
      const setAddr = log.map((c, i) => ({ c, i })).filter(({ c }) => c.opcode === 0x2005);
      expect(setAddr).toHaveLength(2);
      for (const { c, i } of setAddr) {
        expect(c.status).toBe(0);
        const lastEnable = log.slice(0, i).filter((x) => x.opcode === 0x200a).at(-1);
        expect(lastEnable === undefined || lastEnable.params[0] === 0).toBe(true); // advertising was off
        const params = log.slice(i).find((x) => x.opcode === 0x2006)!;
        expect(params.params[5]).toBe(1); // own address type random
        expect(params.params[4]).toBe(3); // ADV_NONCONN_IND
      }
      const addresses = setAddr.map(({ c }) => Buffer.from(c.params).reverse().toString('hex'));
      expect(addresses[0]).not.toBe(addresses[1]);
      expect(air.controller('a-adv').advertisingAddress.type).toBe(1);
    } finally {
      await cleanup();
    }
  });

  it('copes with controllers that answer Command Disallowed to re-enabling advertising', { timeout: 20_000 }, async () => {
    const { air, a, b, cleanup } = await hciPair({ disallowAdvertiseReEnable: true });
    try {
      await Promise.all([a.start(), b.start()]);
      const heard: Buffer[] = [];
      b.onReport((data) => heard.push(Buffer.from(data)));
      await b.startScan();
      await a.advertise(advertFor(1), { rotateAddress: true });
      await a.advertise(advertFor(2)); // same address: bleno re-enables → Command Disallowed
      expect(air.controller('a-adv').commands.some((c) => c.opcode === 0x200a && c.status === 0x0c)).toBe(true);
      expect(a.disallowedReEnables).toBe(1);
      heard.length = 0;
      await sleep(400);
      expect(heard.some((h) => h.equals(advertFor(2)))).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('scans with duplicates allowed and passively', { timeout: 20_000 }, async () => {
    const { air, a, b, cleanup } = await hciPair();
    try {
      await Promise.all([a.start(), b.start()]);
      await b.startScan();
      // noble reports scanStart on the Command Complete of its preceding disable; the enable follows.
      const log = air.controller('b-scan').commands;
      for (let i = 0; i < 50 && log.filter((c) => c.opcode === 0x200c).at(-1)?.params[0] !== 1; i++) await sleep(20);
      const enable = log.filter((c) => c.opcode === 0x200c).at(-1)!;
      expect([...enable.params]).toEqual([1, 0]); // enabled, duplicates not filtered
      expect(log.filter((c) => c.opcode === 0x200b).every((c) => c.params[0] === 0)).toBe(true); // passive
    } finally {
      await cleanup();
    }
  });

  it("empties noble's never-evicted maps", { timeout: 20_000 }, async () => {
    const { a, b, cleanup } = await hciPair();
    try {
      await Promise.all([a.start(), b.start()]);
      const hci = a.nobleBindings._hci;
      await a.startScan();
      for (let i = 0; i < 500; i++) {
        const address = `00:11:22:33:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
        // Drive noble's own report path twice per address (it reports connectable advertisers on the 2nd sighting).
        hci.emit('leAdvertisingReport', 0, 0x03, address, 'random', advertFor(i), -60);
        hci.emit('leAdvertisingReport', 0, 0x03, address, 'random', advertFor(i), -60);
      }
      expect(nobleMapSizes(a.noble, a.nobleBindings)).toMatchObject({ discoveries: 500, peripherals: 500 });
      expect(clearNobleMaps(a.noble, a.nobleBindings)).toBe(500);
      expect(nobleMapSizes(a.noble, a.nobleBindings)).toEqual({ peripherals: 0, discoveries: 0, addresses: 0 });
    } finally {
      await cleanup();
    }
  });
});
