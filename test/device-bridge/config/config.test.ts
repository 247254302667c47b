import { describe, expect, it } from 'vitest';
import { helpText, loadConfig, SETTINGS } from '../../../device-bridge/src/config/config.js';

const ok = (argv: string[], env: Record<string, string> = {}) => {
  const r = loadConfig(argv, env);
  if (!r.ok || 'help' in r) throw new Error(JSON.stringify(r));
  return r.config;
};

describe('loadConfig', () => {
  it('applies defaults', () => {
    expect(ok(['--api', 'http://127.0.0.1:3000'])).toMatchObject({
      radio: 'hci',
      serviceUuid: 0x5054,
      flushMaxAge: 15 * 60_000,
      tokenTtl: 180 * 60_000,
      prefetch: 3,
      txPower: 0,
    });
  });

  it('lets flags win over the environment', () => {
    expect(ok(['--radio', 'sim'], { BRIDGE_API_URL: 'http://x:1', BRIDGE_RADIO: 'hci', FLUSH_MAX_AGE: '90s' })).toMatchObject({ radio: 'sim', flushMaxAge: 90_000, api: 'http://x:1' });
  });

  it.each([
    ['900', 900_000],
    ['15m', 900_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
  ])('parses FLUSH_MAX_AGE=%s as %i ms', (value, ms) => {
    expect(ok(['--api', 'http://a'], { FLUSH_MAX_AGE: value }).flushMaxAge).toBe(ms);
  });

  it('reports every problem at once, naming flag and variable', () => {
    const r = loadConfig(['--radio', 'usb', '--service-uuid', '0xfd6f', '--tx-power', '99'], { FLUSH_MAX_AGE: 'soon', BRIDGE_PHONE_NUMBER: '555' });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toHaveLength(6);
    for (const needle of ['--api / BRIDGE_API_URL: is required', '--radio / BRIDGE_RADIO', '--service-uuid / BRIDGE_SERVICE_UUID', '--tx-power / BRIDGE_TX_POWER', '--flush-max-age / FLUSH_MAX_AGE', '--phone / BRIDGE_PHONE_NUMBER']) {
      expect(problems.some((p) => p.startsWith(needle))).toBe(true);
    }
  });

  it.each([['0x0fff'], ['0xfd6f'], ['zz'], ['0x10000']])('rejects service UUID %s', (uuid) => {
    expect(loadConfig(['--api', 'http://a', '--service-uuid', uuid], {}).ok).toBe(false);
  });

  it('reports unknown flags', () => {
    const r = loadConfig(['--api', 'http://a', '--frobnicate', '1'], {});
    expect(r.ok ? [] : r.problems).toEqual(['unknown flag --frobnicate', 'unexpected argument "1"']);
  });

  it('answers --help with a text listing every flag and variable', () => {
    expect(loadConfig(['--help'], {})).toEqual({ ok: true, help: true });
    const text = helpText();
    for (const s of Object.values(SETTINGS)) {
      expect(text).toContain(`--${s.flag}`);
      expect(text).toContain(s.env);
    }
  });
});
