/**
 * The part of the test runner's environment a spawned program must inherit: where programs are,
 * and the clock shift of `faketime` (LD_PRELOAD and FAKETIME*), so a child runs on the same clock
 * as the test that talks to it. Nothing else leaks in: each test states the settings it means.
 */
export function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LD_PRELOAD' || name === 'TZ' || name.startsWith('FAKETIME'))) env[name] = value;
  }
  return env;
}
