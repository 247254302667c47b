import { describe, expect, it } from 'vitest';
import {
  FICTIONAL_PHONE_NUMBERS,
  fictionalPhoneNumber,
  fictionalPhoneNumbers,
  isFictionalPhoneNumber,
} from '../../../loadtest/src/population/fictional-phone-numbers.js';

describe('Function: fictionalPhoneNumber', () => {
  it.each([
    [0, '+12005550100'],
    [99, '+12005550199'],
    [100, '+12015550100'],
    [FICTIONAL_PHONE_NUMBERS - 1, '+19995550199'],
    [FICTIONAL_PHONE_NUMBERS, '+12005550100'],
    [-1, '+19995550199'],
  ])('slot %i is %s', (slot, number) => expect(fictionalPhoneNumber(slot)).toBe(number));

  it('gives every slot of the range its own number, each inside 555-0100…0199 of an area code 200–999', () => {
    const all = Array.from({ length: FICTIONAL_PHONE_NUMBERS }, (_, slot) => fictionalPhoneNumber(slot));
    expect(new Set(all).size).toBe(FICTIONAL_PHONE_NUMBERS);
    expect(all.every((n) => /^\+1[2-9]\d\d55501\d\d$/.test(n) && isFictionalPhoneNumber(n))).toBe(true);
  });
});

describe('Function: isFictionalPhoneNumber', () => {
  it.each([
    ['+12125550142', true],
    ['+447000000001', false], // the old generator's numbers: ordinary UK mobiles
    ['+12125551212', false], // directory assistance
    ['+12125550200', false],
    ['+11125550100', false],
  ])('%s: %s', (number, fictional) => expect(isFictionalPhoneNumber(number)).toBe(fictional));
});

describe('Function: fictionalPhoneNumbers', () => {
  it('starts at the offset, wraps around and skips numbers already taken', () => {
    const taken = new Set([fictionalPhoneNumber(FICTIONAL_PHONE_NUMBERS - 1)]);
    expect(fictionalPhoneNumbers(3, FICTIONAL_PHONE_NUMBERS - 2, taken)).toEqual(['+19995550198', '+12005550100', '+12005550101']);
  });

  it('refuses more devices than the range holds, naming the limit', () => {
    expect(() => fictionalPhoneNumbers(FICTIONAL_PHONE_NUMBERS, 0, new Set(['+12005550100']))).toThrow('80,000 fictional phone numbers');
  });
});
