import { createHash } from 'node:crypto';
import { Event, H4, LeSubevent, Op, Status } from './hci-constants.js';

export interface ControllerQuirks {
  /** Answer Command Disallowed when advertising is enabled while already enabled (seen on real chips). */
  disallowAdvertiseReEnable?: boolean;
}

export interface ControllerLog {
  opcode: number;
  params: Buffer;
  status: number;
}

/**
 * One virtual Bluetooth LE controller speaking H4 (UART) HCI: answers the commands noble and bleno
 * send, keeps advertising and scanning state, and receives advertising PDUs from the {@link VirtualAir}.
 */
export class VirtualController {
  readonly publicAddress: Buffer;
  randomAddress: Buffer | undefined;
  advertising = false;
  advData = Buffer.alloc(0);
  advType = 0;
  ownAddressType = 0;
  advIntervalMs = 100;
  scanning = false;
  filterDuplicates = false;
  readonly commands: ControllerLog[] = [];
  private readonly seen = new Set<string>();
  private rx: Buffer = Buffer.alloc(0);
  private output: (data: Buffer) => void = () => {};

  constructor(
    readonly id: string,
    readonly position: { x: number; y: number },
    readonly quirks: ControllerQuirks = {},
    publicAddress?: Buffer,
  ) {
    this.publicAddress = publicAddress ?? createHash('sha256').update(id).digest().subarray(0, 6);
  }

  attach(output: (data: Buffer) => void): void {
    this.output = output;
  }

  /** The address advertising PDUs carry: the random one when own-address type is random. */
  get advertisingAddress(): { type: number; address: Buffer } {
    return this.ownAddressType === 1 && this.randomAddress ? { type: 1, address: this.randomAddress } : { type: 0, address: this.publicAddress };
  }

  /** Bytes from the host (H4 framed). */
  receive(chunk: Buffer): void {
    this.rx = this.rx.length === 0 ? chunk : Buffer.concat([this.rx, chunk]);
    for (;;) {
      if (this.rx.length === 0) return;
      const type = this.rx[0]!;
      if (type === H4.Command) {
        if (this.rx.length < 4) return;
        const len = this.rx[3]!;
        if (this.rx.length < 4 + len) return;
        const opcode = this.rx.readUInt16LE(1);
        const params = Buffer.from(this.rx.subarray(4, 4 + len));
        this.rx = this.rx.subarray(4 + len);
        this.command(opcode, params);
      } else if (type === H4.Acl) {
        if (this.rx.length < 5) return;
        const len = this.rx.readUInt16LE(3);
        if (this.rx.length < 5 + len) return;
        this.rx = this.rx.subarray(5 + len);
      } else {
        this.rx = this.rx.subarray(1); // resynchronise on garbage
      }
    }
  }

  /** An advertising PDU heard over the air. */
  hear(from: { type: number; address: Buffer }, advType: number, data: Buffer, rssi: number): void {
    if (!this.scanning) return;
    if (this.filterDuplicates) {
      const key = `${from.type}:${from.address.toString('hex')}:${advType}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    const report = Buffer.alloc(1 + 1 + 1 + 1 + 6 + 1 + data.length + 1);
    let o = 0;
    report[o++] = LeSubevent.AdvertisingReport;
    report[o++] = 1; // one report
    report[o++] = advType;
    report[o++] = from.type;
    from.address.copy(report, o);
    o += 6;
    report[o++] = data.length;
    data.copy(report, o);
    o += data.length;
    report.writeInt8(Math.max(-127, Math.min(20, rssi)), o);
    this.event(Event.LeMeta, report);
  }

  private command(opcode: number, p: Buffer): void {
    const status = this.execute(opcode, p);
    this.commands.push({ opcode, params: p, status: status.status });
    this.complete(opcode, status.status, status.result);
  }

  private execute(opcode: number, p: Buffer): { status: number; result?: Buffer } {
    const ok = (result?: Buffer) => ({ status: Status.Success, result });
    const fail = (status: number) => ({ status });
    switch (opcode) {
      case Op.Reset:
        this.advertising = false;
        this.scanning = false;
        this.randomAddress = undefined;
        this.ownAddressType = 0;
        this.seen.clear();
        return ok();
      case Op.SetEventMask:
      case Op.LeSetEventMask:
      case Op.WriteLeHostSupported:
        return ok();
      case Op.ReadLeHostSupported:
        return ok(Buffer.from([0x01, 0x00]));
      case Op.ReadLocalVersion: // HCI 5.0 (0x09), revision 0, LMP 0x09, manufacturer 0x05f1, subversion 0
        return ok(Buffer.from([0x09, 0x00, 0x00, 0x09, 0xf1, 0x05, 0x00, 0x00]));
      case Op.ReadBdAddr:
        return ok(this.publicAddress);
      case Op.LeReadBufferSize:
        return ok(Buffer.from([27, 0, 8]));
      case Op.ReadBufferSize:
        return ok(Buffer.from([27, 0, 0, 8, 0, 0, 0]));
      case Op.LeSetRandomAddress:
        if (p.length !== 6) return fail(Status.InvalidParameters);
        if (this.advertising) return fail(Status.CommandDisallowed);
        this.randomAddress = Buffer.from(p);
        return ok();
      case Op.LeSetAdvertisingParameters:
        if (p.length !== 15) return fail(Status.InvalidParameters);
        if (this.advertising) return fail(Status.CommandDisallowed);
        this.advIntervalMs = Math.max(20, p.readUInt16LE(0) * 0.625);
        this.advType = p[4]!;
        this.ownAddressType = p[5]!;
        return ok();
      case Op.LeSetAdvertisingData:
      case Op.LeSetScanResponseData: {
        const len = p[0] ?? 0;
        if (p.length !== 32 || len > 31) return fail(Status.InvalidParameters);
        if (opcode === Op.LeSetAdvertisingData) this.advData = Buffer.from(p.subarray(1, 1 + len));
        return ok();
      }
      case Op.LeSetAdvertiseEnable: {
        const enable = p[0] === 1;
        if (enable && this.advertising && this.quirks.disallowAdvertiseReEnable) return fail(Status.CommandDisallowed);
        if (enable && this.ownAddressType === 1 && this.randomAddress === undefined) return fail(Status.InvalidParameters);
        this.advertising = enable;
        return ok();
      }
      case Op.LeSetScanParameters:
        if (this.scanning) return fail(Status.CommandDisallowed);
        return ok();
      case Op.LeSetScanEnable:
        this.scanning = p[0] === 1;
        this.filterDuplicates = p[1] === 1;
        this.seen.clear();
        return ok();
      default:
        return fail(Status.UnknownCommand);
    }
  }

  private complete(opcode: number, status: number, result: Buffer = Buffer.alloc(0)): void {
    const params = Buffer.alloc(4 + result.length);
    params[0] = 1; // Num_HCI_Command_Packets
    params.writeUInt16LE(opcode, 1);
    params[3] = status;
    result.copy(params, 4);
    this.event(Event.CommandComplete, params);
  }

  private event(code: number, params: Buffer): void {
    const packet = Buffer.alloc(3 + params.length);
    packet[0] = H4.Event;
    packet[1] = code;
    packet[2] = params.length;
    params.copy(packet, 3);
    this.output(packet);
  }
}
