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
      observationMax: 180 * 60_000,
      logLevel: 'INFO',
      simAir: 'shared',
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
    ['2s', 2_000],
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
    expect(r.ok ? [] : r.problems).toEqual(['unknown flag --frobnicate (see --help)', 'unexpected argument "1"']);
  });

  it.each([
    [['--observation-idle', '0'], '--observation-idle / BRIDGE_OBSERVATION_IDLE: must be 1s to 6h, got "0"'],
    [['--sweep-interval', '0'], '--sweep-interval / BRIDGE_SWEEP_INTERVAL: must be 100ms to 10m, got "0"'],
    [['--flush-max-age', '0s'], '--flush-max-age / FLUSH_MAX_AGE: must be 1s to 1d, got "0s"'],
    [['--checkpoint-interval', '-5s'], '--checkpoint-interval / BRIDGE_CHECKPOINT_INTERVAL: not a duration: "-5s"'],
    [['--scan-watchdog', '0.0001'], '--scan-watchdog / BRIDGE_SCAN_WATCHDOG: must be 1s to 1h'],
    [['--observation-max', '5s'], '--observation-max / BRIDGE_OBSERVATION_MAX: must be 10s to 1d'],
    [['--hci-adv-interval', '20ms'], '--hci-adv-interval / BRIDGE_HCI_ADV_INTERVAL: must be 100ms to 10240ms'],
    [['--relay-cooldown', '0'], '--relay-cooldown / BRIDGE_RELAY_COOLDOWN: must be 1s to 1d'],
    [['--sweep-interval', '10m', '--observation-idle', '1m'], 'is longer than --observation-idle / BRIDGE_OBSERVATION_IDLE (1m)'],
    [['--scan-watchdog', '5s', '--sweep-interval', '5s'], '--scan-watchdog / BRIDGE_SCAN_WATCHDOG: must be longer than --sweep-interval'],
    [['--status-interval', '10ms'], 'must be 100ms to 1h, or 0 for off, got "10ms"'],
    [['--sms-code', '123456'], '--sms-code: removed: sign in with `npm run bridge -- provision --phone +E164`'],
    [['--key-file', './bridge-data/store.key'], '--key-file / BRIDGE_KEY_FILE: must be outside the data directory'],
    [['--log-level', 'loud'], '--log-level / BRIDGE_LOG_LEVEL: must be one of DEBUG, INFO, WARN, ERROR, SILENT (any case), got "loud"'],
    [['--sim-position', 'here'], '--sim-position / BRIDGE_SIM_POSITION: must be x,y in metres'],
  ])('refuses %j', (args, message) => {
    const r = loadConfig(['--api', 'http://a', '--radio', 'sim', '--sim-peers', '0', ...args], {});
    expect(r.ok ? [] : r.problems).toContainEqual(expect.stringContaining(message));
  });

  it('accepts 0 where it means something, and choices in any case', () => {
    expect(ok(['--api', 'http://a', '--status-interval', '0', '--rotation-jitter', '0', '--log-level', 'debug', '--radio', 'SIM', '--sim-peers', '0'])).toMatchObject({ statusInterval: 0, rotationJitter: 0, logLevel: 'DEBUG', radio: 'sim' });
  });

  it.each([
    ['auto', 'auto'],
    ['JSON', 'json'],
    ['readable', 'readable'],
    ['text', 'readable'],
  ])('takes the backend\'s LOG_FORMAT values: %s', (value, format) => {
    expect(ok(['--api', 'http://a'], { BRIDGE_LOG_FORMAT: value }).logFormat).toBe(format);
  });

  it('simulated peers need the backend to sign in', () => {
    const r = loadConfig(['--mode', 'dedicated', '--radio', 'sim', '--sim-peers', '2'], {});
    expect(r.ok ? [] : r.problems).toEqual([expect.stringContaining('--sim-peers / BRIDGE_SIM_PEERS: simulated peers sign in as devices')]);
  });

  it('keeps the key file out of the data directory by default', () => {
    expect(ok(['--api', 'http://a'], { HOME: '/home/op' }).keyFile).toBe('/home/op/.config/proxitrace-bridge/store.key');
    expect(ok(['--api', 'http://a'], { XDG_CONFIG_HOME: '/etc/xdg' }).keyFile).toBe('/etc/xdg/proxitrace-bridge/store.key');
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
