/**
 * Phone numbers for simulated devices, all from a range reserved for fiction, so that no SMS a server
 * sends during a load test can reach a person. The North American Numbering Plan keeps 555-0100 to
 * 555-0199 out of service in every area code, for films, books and tests (NANPA's 555 NXX assignment
 * guidelines): 100 numbers in each of the 800 area codes 200–999, 80,000 in all. No other reserved range
 * is as large: Ofcom keeps 1,000 UK mobile numbers for drama (07700 900000–900999).
 */
export const FICTIONAL_PHONE_NUMBERS = 80_000;

const FICTIONAL = /^\+1[2-9]\d\d55501\d\d$/;

/** The `slot`-th number of the range (wrapping around): +1 NPA 555-01XX. */
export function fictionalPhoneNumber(slot: number): string {
  const s = ((slot % FICTIONAL_PHONE_NUMBERS) + FICTIONAL_PHONE_NUMBERS) % FICTIONAL_PHONE_NUMBERS;
  return `+1${200 + Math.floor(s / 100)}55501${String(s % 100).padStart(2, '0')}`;
}

export function isFictionalPhoneNumber(e164: string): boolean {
  return FICTIONAL.test(e164);
}

/**
 * `count` distinct numbers of the range from `offset` on, skipping `taken` (such as the official's number).
 * A run starts at its own offset, so repeated runs sign in new numbers rather than the same few again.
 */
export function fictionalPhoneNumbers(count: number, offset: number, taken: ReadonlySet<string> = new Set()): string[] {
  if (count > FICTIONAL_PHONE_NUMBERS - taken.size) {
    throw new RangeError(`${count} devices need more than the ${FICTIONAL_PHONE_NUMBERS.toLocaleString('en-US')} fictional phone numbers there are`);
  }
  const numbers: string[] = [];
  for (let slot = offset; numbers.length < count; slot++) {
    const number = fictionalPhoneNumber(slot);
    if (!taken.has(number)) numbers.push(number);
  }
  return numbers;
}
