/**
 * A device number is the compact, server-assigned identity that tokens carry.
 * It is 48 bits wide so that it fits the token block next to its validity window,
 * and it is random so that numbers reveal nothing about sign-up order.
 */
export type DeviceNumber = number;

export const DEVICE_NUMBER_BITS = 48;
export const MAX_DEVICE_NUMBER = 2 ** DEVICE_NUMBER_BITS - 1;

export function isDeviceNumber(value: number): value is DeviceNumber {
  return Number.isInteger(value) && value > 0 && value <= MAX_DEVICE_NUMBER;
}

/** Turns 6 random bytes into a non-zero device number (0 is reserved as "none"). */
export function deviceNumberFromBytes(bytes: Uint8Array): DeviceNumber {
  if (bytes.length < 6) throw new RangeError('a device number needs 6 random bytes');
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 256 + bytes[i]!;
  return value === 0 ? 1 : value;
}

/** A signed-in device as the backend knows it. */
export interface Device {
  /** The identity provider's subject (Cognito `sub`); what the API calls deviceId. */
  subject: string;
  number: DeviceNumber;
  createdAt: Date;
}
