/**
 * Byte layout of the Proxitrace legacy advertisement (31 bytes, see device-bridge/README.md).
 *
 *  0 0x02 len | 1 0x01 Flags | 2 0x06 flags value
 *  3 0x03 len | 4 0x03 Complete list of 16-bit UUIDs | 5..6 UUID (little-endian)
 *  7 0x17 len | 8 0x16 Service Data - 16-bit UUID | 9..10 UUID (little-endian)
 * 11 version (high nibble) / flags (low nibble)
 * 12..27 token (16 bytes)
 * 28 TX power (int8, dBm)
 * 29..30 counter (uint16, little-endian)
 */
export const ADVERT_LENGTH = 31;
export const AD_TYPE_FLAGS = 0x01;
export const AD_TYPE_UUID16_INCOMPLETE = 0x02;
export const AD_TYPE_UUID16_COMPLETE = 0x03;
export const AD_TYPE_SERVICE_DATA_16 = 0x16;
/** LE General Discoverable Mode | BR/EDR Not Supported. */
export const FLAGS_VALUE = 0x06;
export const PAYLOAD_VERSION = 1;
export const TOKEN_LENGTH = 16;
/** version/flags byte + token + TX power + 2-byte counter. */
export const SERVICE_PAYLOAD_LENGTH = 1 + TOKEN_LENGTH + 1 + 2;
export const DEFAULT_SERVICE_UUID = 0x5054; // "PT"; >= 0x1000 and not 0xFD6F (Exposure Notification)
export const MIN_SERVICE_UUID = 0x1000;
export const EXPOSURE_NOTIFICATION_UUID = 0xfd6f;
