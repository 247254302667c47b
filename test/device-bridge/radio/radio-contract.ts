import { afterEach, describe, expect, it } from 'vitest';
import type { Radio } from '../../../device-bridge/src/ports/radio.js';
import { advertFor } from '../support/builders.js';

export interface RadioPair {
  a: Radio;
  b: Radio;
  /** Lets enough air time pass for several advertising events. */
  pump(): Promise<void>;
  cleanup(): Promise<void>;
}

interface Heard {
  data: Buffer;
  rssi: number;
  address: string;
}

/** The Radio port contract, run against every adapter (sim, hci on the virtual controller). */
export function describeRadioContract(name: string, makePair: () => Promise<RadioPair>, timeoutMs = 10_000) {
  describe(`Radio contract: ${name}`, { timeout: timeoutMs }, () => {
    let pair: RadioPair | undefined;
    afterEach(async () => {
      await pair?.cleanup();
      pair = undefined;
    });

    async function started() {
      pair = await makePair();
      await Promise.all([pair.a.start(), pair.b.start()]);
      const heard: Heard[] = [];
      pair.b.onReport((data, rssi, address) => heard.push({ data: Buffer.from(data), rssi, address }));
      await pair.b.startScan();
      return { ...pair, heard };
    }
    const payloads = (heard: Heard[]) => new Set(heard.map((h) => h.data.toString('hex')));

    it('delivers the advertised payload byte for byte, with an integer RSSI and the advertising address', async () => {
      const { a, pump, heard } = await started();
      await a.advertise(advertFor(1));
      await pump();
      const ours = heard.filter((h) => h.data.equals(advertFor(1)));
      expect(ours.length).toBeGreaterThan(0);
      expect(Number.isInteger(ours[0]!.rssi) && ours[0]!.rssi <= 20 && ours[0]!.rssi >= -127).toBe(true);
      expect(ours[0]!.address).toBe(a.advertisingAddress());
    });

    it('reports duplicates: the same advertisement arrives again and again', async () => {
      const { a, pump, heard } = await started();
      await a.advertise(advertFor(2));
      await pump();
      await pump();
      expect(heard.filter((h) => h.data.equals(advertFor(2))).length).toBeGreaterThanOrEqual(2);
    });

    it('replaces the payload on advertise and rotates the address when asked', async () => {
      const { a, pump, heard } = await started();
      await a.advertise(advertFor(3), { rotateAddress: true });
      const first = a.advertisingAddress();
      await pump();
      await a.advertise(advertFor(4), { rotateAddress: true });
      const second = a.advertisingAddress();
      expect(second).not.toBe(first);
      heard.length = 0;
      await pump();
      await pump();
      const latest = heard.slice(-1)[0]!;
      expect(latest.data.equals(advertFor(4))).toBe(true);
      expect(latest.address).toBe(second);
      expect(heard.filter((h) => h.data.equals(advertFor(4))).every((h) => h.address === second)).toBe(true);
    });

    it('keeps the address when rotation is not asked for', async () => {
      const { a } = await started();
      await a.advertise(advertFor(5), { rotateAddress: true });
      const first = a.advertisingAddress();
      await a.advertise(advertFor(6));
      expect(a.advertisingAddress()).toBe(first);
    });

    it('goes silent after stopAdvertising', async () => {
      const { a, pump, heard } = await started();
      await a.advertise(advertFor(7));
      await pump();
      await a.stopAdvertising();
      expect(a.advertisingAddress()).toBeUndefined();
      await pump();
      heard.length = 0;
      await pump();
      expect(payloads(heard).has(advertFor(7).toString('hex'))).toBe(false);
    });

    it('reports nothing while not scanning, and again after startScan', async () => {
      const { a, b, pump, heard } = await started();
      await a.advertise(advertFor(8));
      await b.stopScan();
      await pump();
      heard.length = 0;
      await pump();
      expect(heard).toEqual([]);
      await b.startScan();
      await pump();
      expect(heard.length).toBeGreaterThan(0);
    });

    it('stops calling a listener after it unsubscribes', async () => {
      const { a, b, pump } = await started();
      let calls = 0;
      const off = b.onReport(() => calls++);
      await a.advertise(advertFor(9));
      await pump();
      expect(calls).toBeGreaterThan(0);
      off();
      const after = calls;
      await pump();
      expect(calls).toBe(after);
    });

    it('does not report its own advertisement', async () => {
      const { b, pump, heard } = await started();
      await b.advertise(advertFor(10));
      await pump();
      expect(heard.some((h) => h.data.equals(advertFor(10)))).toBe(false);
    });

    it('rejects advertisement data longer than 31 bytes', async () => {
      const { a } = await started();
      await expect(a.advertise(Buffer.alloc(32, 1))).rejects.toThrow();
    });
  });
}
