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
  LeSetEventMask: 0x2001,
  LeReadBufferSize: 0x2002,
  LeSetRandomAddress: 0x2005,
  LeSetAdvertisingParameters: 0x2006,
  LeSetAdvertisingData: 0x2008,
  LeSetScanResponseData: 0x2009,
  LeSetAdvertiseEnable: 0x200a,
  LeSetScanParameters: 0x200b,
  LeSetScanEnable: 0x200c,
} as const;

export const Status = {
  Success: 0x00,
  UnknownCommand: 0x01,
  CommandDisallowed: 0x0c,
  InvalidParameters: 0x12,
} as const;

export const H4 = { Command: 0x01, Acl: 0x02, Event: 0x04 } as const;
export const Event = { CommandComplete: 0x0e, LeMeta: 0x3e } as const;
export const LeSubevent = { AdvertisingReport: 0x02 } as const;
