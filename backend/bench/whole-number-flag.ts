/** A benchmark's whole-number option, at least `min`; a bad value ends the process with status 2 and says why. */
export function wholeNumberFlag(text: string, flag: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    console.error(`${flag} must be ${min === 1 ? 'a positive whole number' : `a whole number ≥ ${min}`}, got "${text}"`);
    process.exit(2);
  }
  return n;
}
