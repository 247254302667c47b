import { parseLoadOptions, type LoadOptions } from '../../../loadtest/src/config/load-options.js';

/** The smoke scenario against a fake API as the runLoad tests use it, with the official, quick stats and a short drain. */
export function smokeOptions(url: string, officialPhone: string, out: string, extra: Record<string, unknown> = {}): LoadOptions {
  const parsed = parseLoadOptions({ target: url, scenario: 'smoke', duration: '3s', 'official-phone': officialPhone, 'drain-timeout': '5s', 'stats-interval': '200ms', out, ...extra });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.options;
}
