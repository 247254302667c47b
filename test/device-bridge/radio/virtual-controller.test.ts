import { describe, expect, it } from 'vitest';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';
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

/** Two controllers on one air: the link layer between them, driven with H4 bytes as noble and bleno would. */
describe('VirtualAir connections', () => {
  const ACL = 0x02;
  const hosts = () => {
    const air = new VirtualAir({ rangeM: 10 });
    const make = (id: string, x: number) => {
      const c = new VirtualController(id, { x, y: 0 });
      const out: Buffer[] = [];
      c.attach((d) => out.push(d));
      air.place(c);
      const cmd = (opcode: number, params: number[] | Buffer = []) => {
        const p = Buffer.from(params);
        c.receive(Buffer.concat([Buffer.from([0x01, opcode & 0xff, opcode >> 8, p.length]), p]));
      };
      const events = (code: number) => out.filter((e) => e[0] === 0x04 && e[1] === code);
      return { c, out, cmd, events };
    };
    const central = make('central', 0);
    const peripheral = make('peripheral', 3);
    // The peripheral advertises connectably (ADV_IND) from a random address.
    peripheral.cmd(0x2005, [1, 2, 3, 4, 5, 0xc6]);
    peripheral.cmd(0x2006, [0xa0, 0, 0xa0, 0, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0]);
    peripheral.cmd(0x200a, [1]);
    const createConnection = () => {
      const p = Buffer.alloc(25);
      p.writeUInt16LE(0x60, 0);
      p.writeUInt16LE(0x30, 2);
      p[5] = 1; // peer address type random
      Buffer.from([1, 2, 3, 4, 5, 0xc6]).copy(p, 6);
      p.writeUInt16LE(6, 13);
      p.writeUInt16LE(12, 15);
      p.writeUInt16LE(42, 19);
      central.cmd(0x200d, p);
    };
    return { air, central, peripheral, createConnection };
  };
  const aclPacket = (handle: number, pb: number, data: number[]) => {
    const b = Buffer.alloc(5 + data.length);
    b[0] = ACL;
    b.writeUInt16LE(handle | (pb << 12), 1);
    b.writeUInt16LE(data.length, 3);
    Buffer.from(data).copy(b, 5);
    return b;
  };

  it('answers LE Create Connection with Command Status, then LE Connection Complete on both sides; the peripheral stops advertising', () => {
    const { air, central, peripheral, createConnection } = hosts();
    createConnection();
    const [status] = central.events(0x0f);
    expect([...status!.subarray(3, 7)]).toEqual([0x00, 1, 0x0d, 0x20]);
    const [cc] = central.events(0x3e);
    const [pc] = peripheral.events(0x3e).filter((e) => e[3] === 0x01);
    expect([cc![3], cc![4], cc!.readUInt16LE(5), cc![7], cc![8]]).toEqual([0x01, 0x00, 1, 0, 1]); // role central, peer random
    expect(cc!.subarray(9, 15)).toEqual(Buffer.from([1, 2, 3, 4, 5, 0xc6]));
    expect([pc![7], pc![8]]).toEqual([1, 0]); // role peripheral, peer public (the central's own address)
    expect(pc!.subarray(9, 15)).toEqual(central.c.publicAddress);
    expect(cc!.readUInt16LE(15)).toBe(12); // connection interval from the command
    expect(peripheral.c.advertising).toBe(false);
    expect(air.connectionCount()).toBe(1);
    peripheral.cmd(0x200a, [1]);
    expect(peripheral.out.at(-1)![6]).toBe(0x0c); // no connectable advertising while the link lasts
  });

  it('carries ACL both ways, rewriting the first-fragment boundary flag, and frees the sender’s buffer with Number of Completed Packets', () => {
    const { central, peripheral, createConnection } = hosts();
    createConnection();
    peripheral.out.length = 0;
    central.c.receive(aclPacket(1, 0b00, [7, 0, 4, 0, 0x02, 0x00, 0x01])); // L2CAP header + ATT MTU request, first non-flushable
    central.c.receive(aclPacket(1, 0b01, [0xaa])); // a continuation
    const acl = peripheral.out.filter((p) => p[0] === ACL);
    expect(acl.map((p) => [p.readUInt16LE(1) >> 12, p.readUInt16LE(1) & 0xfff])).toEqual([[0b10, 1], [0b01, 1]]);
    expect([...acl[0]!.subarray(5)]).toEqual([7, 0, 4, 0, 0x02, 0x00, 0x01]);
    const nocp = central.events(0x13);
    expect(nocp).toHaveLength(2);
    expect([nocp[0]![3], nocp[0]!.readUInt16LE(4), nocp[0]!.readUInt16LE(6)]).toEqual([1, 1, 1]);
    peripheral.c.receive(aclPacket(1, 0b00, [3, 0, 4, 0, 0x03, 0x00, 0x01]));
    expect(central.out.filter((p) => p[0] === ACL)).toHaveLength(1);
    central.c.receive(aclPacket(7, 0b00, [1])); // an unknown handle is dropped, not acknowledged
    expect(central.events(0x13)).toHaveLength(2);
  });

  it('ends the link with Disconnection Complete on both sides: local host terminated here, the given reason there', () => {
    const { air, central, peripheral, createConnection } = hosts();
    createConnection();
    central.cmd(0x0406, [1, 0, 0x13]);
    expect(central.events(0x0f).at(-1)![3]).toBe(0x00);
    expect([central.events(0x05)[0]![6], peripheral.events(0x05)[0]![6]]).toEqual([0x16, 0x13]);
    expect(air.connectionCount()).toBe(0);
    central.cmd(0x0406, [1, 0, 0x13]);
    expect(central.events(0x0f).at(-1)![3]).toBe(0x02); // unknown connection identifier
  });

  it('waits for the advertiser, can be cancelled (Connection Complete with status 0x02), and loses the link out of range', () => {
    const { air, central, peripheral, createConnection } = hosts();
    peripheral.cmd(0x200a, [0]);
    createConnection();
    expect(central.events(0x3e)).toHaveLength(0);
    central.cmd(0x200e);
    expect(central.events(0x3e).at(-1)![4]).toBe(0x02);
    peripheral.cmd(0x200a, [1]);
    createConnection();
    expect(air.connectionCount()).toBe(1);
    peripheral.c.position.x = 50;
    air.tick();
    expect([central.events(0x05).at(-1)![6], peripheral.events(0x05).at(-1)![6]]).toEqual([0x08, 0x08]); // connection timeout
  });
});
