import { describe, expect, it } from 'vitest';
import { loadTestUserPhones } from '../../../loadtest/src/auth/provision-users.js';
import { FICTIONAL_PHONE_NUMBERS, isFictionalPhoneNumber } from '../../../loadtest/src/population/fictional-phone-numbers.js';

describe('npm run loadtest:users: the pre-created users’ numbers', () => {
  it('are all fictional (+1 NPA 555-01XX) and distinct, up to the whole range', () => {
    const phones = loadTestUserPhones(FICTIONAL_PHONE_NUMBERS);
    expect(phones.filter((p) => !isFictionalPhoneNumber(p))).toEqual([]);
    expect(new Set(phones).size).toBe(FICTIONAL_PHONE_NUMBERS);
  });

  it('are the same on every run, so a second run reuses its users', () => {
    expect(loadTestUserPhones(3)).toEqual(['+12005550100', '+12005550101', '+12005550102']);
  });
});
