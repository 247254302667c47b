import { createHash } from 'node:crypto';
import { AclBoundary, CONNECTABLE_ADV_TYPES, Event, H4, LeSubevent, Op, Status } from './hci-constants.js';

export interface ControllerQuirks {
  /** Answer Command Disallowed when advertising is enabled while already enabled (seen on real chips). */
  disallowAdvertiseReEnable?: boolean;
}

export interface ControllerLog {
  opcode: number;
  params: Buffer;
  status: number;
}

export interface DeviceAddress {
  type: number;
  address: Buffer;
}

/**
 * What a controller asks of the air for connections (the link layer between controllers):
 * {@link VirtualAir} implements it. A controller without one answers connection commands with
 * Command Disallowed.
 */
export interface LinkLayer {
  /** Start initiating towards `peer`; the air connects once a connectable advertisement of it is in range. */
  createConnection(initiator: VirtualController, peer: DeviceAddress, parameters: ConnectionParameters): void;
  /** Stops initiating; true when a connection attempt was pending. */
  cancelConnection(initiator: VirtualController): boolean;
  /** One ACL fragment from the host; false when the handle is not a live connection. */
  sendAcl(from: VirtualController, handle: number, boundary: number, data: Buffer): boolean;
  /** The host ends the connection; false when the handle is not a live connection. */
  disconnect(from: VirtualController, handle: number, reason: number): boolean;
}

export interface ConnectionParameters {
  /** In 1.25 ms units, as in the HCI command. */
  interval: number;
  latency: number;
  /** In 10 ms units. */
  supervisionTimeout: number;
}

/** Commands answered with Command Status (they finish later with their own event). */
const STATUS_COMMANDS: ReadonlySet<number> = new Set([Op.LeCreateConnection, Op.Disconnect]);

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
  /** Live connections by this controller's handle: the peer's address and our role (0 central, 1 peripheral). */
  readonly connections = new Map<number, { peer: DeviceAddress; role: number }>();
  /** The peer a pending LE Create Connection is for. */
  initiating: DeviceAddress | undefined;
  aclPacketsSent = 0;
  link: LinkLayer | undefined;
  private nextHandle = 1;
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
        const field = this.rx.readUInt16LE(1);
        const data = Buffer.from(this.rx.subarray(5, 5 + len));
        this.rx = this.rx.subarray(5 + len);
        this.acl(field & 0x0fff, (field >> 12) & 0b11, data);
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

  /** The air established a connection: LE Connection Complete to the host. A peripheral stops advertising. */
  connected(peer: DeviceAddress, role: number, parameters: ConnectionParameters): number {
    const handle = this.nextHandle;
    this.nextHandle = this.nextHandle >= 0x0eff ? 1 : this.nextHandle + 1;
    this.connections.set(handle, { peer, role });
    if (role === 1) this.advertising = false;
    else this.initiating = undefined;
    const params = Buffer.alloc(19);
    params[0] = LeSubevent.ConnectionComplete;
    params[1] = Status.Success;
    params.writeUInt16LE(handle, 2);
    params[4] = role;
    params[5] = peer.type;
    peer.address.copy(params, 6);
    params.writeUInt16LE(parameters.interval, 12);
    params.writeUInt16LE(parameters.latency, 14);
    params.writeUInt16LE(parameters.supervisionTimeout, 16);
    params[18] = 0x00; // central clock accuracy: 500 ppm
    this.event(Event.LeMeta, params);
    return handle;
  }

  /** A fragment the peer's host sent: passed up with the boundary flag a receiving controller uses. */
  deliverAcl(handle: number, boundary: number, data: Buffer): void {
    const pb = boundary === AclBoundary.FirstNonFlushable ? AclBoundary.FirstFlushable : boundary;
    const packet = Buffer.alloc(5 + data.length);
    packet[0] = H4.Acl;
    packet.writeUInt16LE(handle | (pb << 12), 1);
    packet.writeUInt16LE(data.length, 3);
    data.copy(packet, 5);
    this.output(packet);
  }

  /** Disconnection Complete for one of our connections (ended by either side or by the air). */
  disconnected(handle: number, reason: number): void {
    if (!this.connections.delete(handle)) return;
    const params = Buffer.alloc(4);
    params[0] = Status.Success;
    params.writeUInt16LE(handle, 1);
    params[3] = reason;
    this.event(Event.DisconnectionComplete, params);
  }

  private acl(handle: number, boundary: number, data: Buffer): void {
    if (!this.connections.has(handle) || this.link === undefined) return; // a stale handle: dropped, as a controller would
    if (!this.link.sendAcl(this, handle, boundary, data)) return;
    this.aclPacketsSent++;
    // One buffer is free again: hosts stall without Number of Completed Packets (one handle per event).
    const params = Buffer.alloc(5);
    params[0] = 1;
    params.writeUInt16LE(handle, 1);
    params.writeUInt16LE(1, 3);
    this.event(Event.NumberOfCompletedPackets, params);
  }

  private command(opcode: number, p: Buffer): void {
    const status = this.execute(opcode, p);
    this.commands.push({ opcode, params: p, status: status.status });
    if (STATUS_COMMANDS.has(opcode)) this.commandStatus(opcode, status.status);
    else this.complete(opcode, status.status, status.result);
    status.then?.();
  }

  /** `then` runs after the command's Command Complete/Status is sent (events that follow it). */
  private execute(opcode: number, p: Buffer): { status: number; result?: Buffer; then?: () => void } {
    const ok = (result?: Buffer, then?: () => void) => ({ status: Status.Success, result, then });
    const fail = (status: number) => ({ status });
    switch (opcode) {
      case Op.Reset:
        for (const handle of [...this.connections.keys()]) this.link?.disconnect(this, handle, Status.ConnectionTerminatedByLocalHost);
        this.connections.clear();
        if (this.initiating) this.link?.cancelConnection(this);
        this.initiating = undefined;
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
        // One peripheral link at a time: connectable advertising waits until it ends.
        if (enable && CONNECTABLE_ADV_TYPES.has(this.advType) && [...this.connections.values()].some((c) => c.role === 1)) {
          return fail(Status.CommandDisallowed);
        }
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
      case Op.LeCreateConnection: {
        if (p.length !== 25) return fail(Status.InvalidParameters);
        if (this.initiating !== undefined || this.link === undefined) return fail(Status.CommandDisallowed);
        const peer = { type: p[5]!, address: Buffer.from(p.subarray(6, 12)) };
        const parameters = { interval: p.readUInt16LE(15), latency: p.readUInt16LE(17), supervisionTimeout: p.readUInt16LE(19) };
        this.initiating = peer;
        return ok(undefined, () => this.link?.createConnection(this, peer, parameters));
      }
      case Op.LeCreateConnectionCancel: {
        if (this.initiating === undefined || this.link === undefined) return fail(Status.CommandDisallowed);
        this.link.cancelConnection(this);
        this.initiating = undefined;
        // The pending LE Create Connection ends with a Connection Complete carrying Unknown Connection Identifier.
        return ok(undefined, () => this.connectionFailed(Status.UnknownConnectionIdentifier));
      }
      case Op.Disconnect: {
        if (p.length !== 3) return fail(Status.InvalidParameters);
        const handle = p.readUInt16LE(0) & 0x0fff;
        if (!this.connections.has(handle) || this.link === undefined) return fail(Status.UnknownConnectionIdentifier);
        return ok(undefined, () => this.link?.disconnect(this, handle, p[2]!));
      }
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

  private connectionFailed(status: number): void {
    const params = Buffer.alloc(19);
    params[0] = LeSubevent.ConnectionComplete;
    params[1] = status;
    this.event(Event.LeMeta, params);
  }

  private commandStatus(opcode: number, status: number): void {
    const params = Buffer.alloc(4);
    params[0] = status;
    params[1] = 1; // Num_HCI_Command_Packets
    params.writeUInt16LE(opcode, 2);
    this.event(Event.CommandStatus, params);
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
