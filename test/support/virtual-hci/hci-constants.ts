/** HCI opcodes (OGF << 10 | OCF) and codes the virtual controller understands. */
export const Op = {
  SetEventMask: 0x0c01,
  Reset: 0x0c03,
  ReadLeHostSupported: 0x0c6c,
  WriteLeHostSupported: 0x0c6d,
  ReadLocalVersion: 0x1001,
  ReadLocalSupportedCommands: 0x1002,
  ReadBufferSize: 0x1005,
  ReadBdAddr: 0x1009,
  Disconnect: 0x0406,
  LeSetEventMask: 0x2001,
  LeReadBufferSize: 0x2002,
  LeSetRandomAddress: 0x2005,
  LeSetAdvertisingParameters: 0x2006,
  LeSetAdvertisingData: 0x2008,
  LeSetScanResponseData: 0x2009,
  LeSetAdvertiseEnable: 0x200a,
  LeSetScanParameters: 0x200b,
  LeSetScanEnable: 0x200c,
  LeCreateConnection: 0x200d,
  LeCreateConnectionCancel: 0x200e,
} as const;

export const Status = {
  Success: 0x00,
  UnknownCommand: 0x01,
  UnknownConnectionIdentifier: 0x02,
  ConnectionTimeout: 0x08,
  CommandDisallowed: 0x0c,
  ConnectionTerminatedByLocalHost: 0x16,
  InvalidParameters: 0x12,
} as const;

export const H4 = { Command: 0x01, Acl: 0x02, Event: 0x04 } as const;
export const Event = { DisconnectionComplete: 0x05, CommandComplete: 0x0e, CommandStatus: 0x0f, NumberOfCompletedPackets: 0x13, LeMeta: 0x3e } as const;
export const LeSubevent = { ConnectionComplete: 0x01, AdvertisingReport: 0x02 } as const;

/** ACL Packet_Boundary flags (bits 12–13 of the handle field). */
export const AclBoundary = { FirstNonFlushable: 0b00, Continuation: 0b01, FirstFlushable: 0b10 } as const;

/** Advertising PDU types a central may connect to (ADV_IND, ADV_DIRECT_IND). */
export const CONNECTABLE_ADV_TYPES: ReadonlySet<number> = new Set([0x00, 0x01]);
