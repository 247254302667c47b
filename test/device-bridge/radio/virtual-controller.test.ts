import { describe, expect, it } from 'vitest';
import { VirtualController } from '../../support/virtual-hci/virtual-controller.js';

/** Drives a VirtualController directly with H4 bytes (no pty), as noble and bleno would. */
function controller(quirks = {}) {
  const c = new VirtualController('t', { x: 0, y: 0 }, quirks);
  const out: Buffer[] = [];
  c.attach((d) => out.push(d));
  const cmd = (opcode: number, params: number[] | Buffer = []) => {
    const p = Buffer.from(params);
    c.receive(Buffer.concat([Buffer.from([0x01, opcode & 0xff, opcode >> 8, p.length]), p]));
    const ev = out.at(-1)!;
    expect([ev[0], ev[1], ev.readUInt16LE(4)]).toEqual([0x04, 0x0e, opcode]);
    return ev[6];
  };
  const advParams = (ownType: number) => [0xa0, 0, 0xa0, 0, 0x03, ownType, 0, 0, 0, 0, 0, 0, 0, 7, 0];
  return { c, out, cmd, advParams };
}

describe('VirtualController', () => {
  it('answers Reset with the exact Command Complete the UART driver waits for', () => {
    const { out, cmd } = controller();
    cmd(0x0c03);
    expect(out[0]!.toString('hex')).toBe('040e0401030c00');
  });

  it.each([
    [0x1001, 0x00], // Read Local Version: HCI 5.0 (≥ 6 required by noble and bleno)
    [0x1009, 0x00],
    [0x2002, 0x00],
    [0xfc00, 0x01], // vendor command: Unknown HCI Command
  ])('answers opcode %d with status %d', (opcode, status) => {
    expect(controller().cmd(opcode)).toBe(status);
  });

  it('reassembles commands split across reads and several commands in one read', () => {
    const { c, out } = controller();
    const reset = Buffer.from([0x01, 0x03, 0x0c, 0x00]);
    c.receive(reset.subarray(0, 2));
    c.receive(Buffer.concat([reset.subarray(2), reset]));
    expect(out).toHaveLength(2);
  });

  it('refuses LE Set Random Address and advertising parameters while advertising', () => {
    const { cmd, advParams } = controller();
    expect(cmd(0x2005, [1, 2, 3, 4, 5, 6])).toBe(0);
    expect(cmd(0x2006, advParams(1))).toBe(0);
    expect(cmd(0x200a, [1])).toBe(0);
    expect(cmd(0x2005, [6, 5, 4, 3, 2, 1])).toBe(0x0c);
    expect(cmd(0x2006, advParams(1))).toBe(0x0c);
    expect(cmd(0x200a, [0])).toBe(0);
    expect(cmd(0x2005, [6, 5, 4, 3, 2, 1])).toBe(0);
  });

  it('refuses to advertise from a random address that was never set', () => {
    const { cmd, advParams } = controller();
    cmd(0x2006, advParams(1));
    expect(cmd(0x200a, [1])).toBe(0x12);
  });

  it.each([
    [false, 0],
    [true, 0x0c],
  ])('with disallowAdvertiseReEnable=%s answers re-enabling with %i', (quirk, status) => {
    const { cmd } = controller({ disallowAdvertiseReEnable: quirk });
    expect(cmd(0x200a, [1])).toBe(0);
    expect(cmd(0x200a, [1])).toBe(status);
  });

  it.each([
    [1, 1],
    [0, 3],
  ])('with Filter_Duplicates=%i reports a repeated advertisement %i time(s)', (filter, reports) => {
    const { c, out, cmd } = controller();
    cmd(0x200c, [1, filter]);
    out.length = 0;
    const from = { type: 1, address: Buffer.from([1, 2, 3, 4, 5, 6]) };
    for (let i = 0; i < 3; i++) c.hear(from, 3, Buffer.from([2, 1, 6]), -60);
    expect(out).toHaveLength(reports);
    const report = out[0]!;
    expect([report[1], report[3], report[4], report[5], report[6]]).toEqual([0x3e, 0x02, 1, 3, 1]);
    expect(report.readInt8(report.length - 1)).toBe(-60);
  });
});
