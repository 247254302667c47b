import { describe, expect, it } from 'vitest';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { ConfigError } from '../../../backend/src/config/env-schema.js';

describe('backend configuration', () => {
  it('has the documented defaults', () => {
    const config = loadBackendConfig({});
    expect(config).toMatchObject({ port: 3000, dataDir: './data', logLevel: 'INFO', tokenTtlMinutes: 180, devSmsEcho: false });
    expect(config.exposurePolicy).toMatchObject({ minNotifyProbability: 0.1 });
    expect(config.exposurePolicy.proximity).toEqual({
      attenuationThresholdsDb: [55, 65, 75],
      bucketWeights: [1.5, 1, 0.5, 0],
      unknownSignalWeight: 1,
      defaultTxPowerDbm: 0,
      rssiCorrectionDb: 0,
      minWeightedMinutes: 15,
      encounterGapMs: 5 * 60_000,
    });
    expect(config.retention).toMatchObject({ contactsMs: 21 * 86_400_000, casesMs: 30 * 86_400_000, deadLettersMs: 14 * 86_400_000 });
    expect(config.exposurePolicy.hopProbability).toBeCloseTo(1 / 3);
    expect(config.exposurePolicy.lookbackMs).toBe(14 * 86_400_000);
  });

  it("has the analytics defaults docs/ANALYTICS.md states: k = 10, geohash cells of about 5 km, each index's retention", () => {
    const { analytics } = loadBackendConfig({});
    expect(analytics.epidemiology.minCellSize).toBe(10);
    // Precision 5: a cell of about 4.9 × 4.9 km, named by 5 characters.
    expect(analytics.regions.regionOf({ lat: 52.52, lon: 13.4 })).toBe('u33db');
    expect(analytics.regionsDescription).toBe('geohash cells of precision 5');
    const days = Object.fromEntries(Object.entries(analytics.retention).map(([index, ms]) => [index, ms / 86_400_000]));
    expect(days).toEqual({ cases: 400, notifications: 90, encounters: 28, activity: 90, figures: 730 });
  });

  it.each([
    ['1/3', 1 / 3],
    ['0.25', 0.25],
    ['1 / 2', 0.5],
  ])('reads HOP_PROBABILITY=%s', (text, value) => {
    expect(loadBackendConfig({ HOP_PROBABILITY: text }).exposurePolicy.hopProbability).toBeCloseTo(value);
  });

  it('reports every bad variable at once, by name and value', () => {
    let message = '';
    try {
      loadBackendConfig({ PORT: 'eighty', LOOKBACK_DAYS: '0', HOP_PROBABILITY: '3/2', OFFICIAL_PHONE_NUMBERS: '+15550000001, 0770' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ['PORT ("eighty")', 'LOOKBACK_DAYS ("0")', 'HOP_PROBABILITY ("3/2")', 'OFFICIAL_PHONE_NUMBERS']) {
      expect(message).toContain(name);
    }
  });

  it('refuses a policy that would never notify anybody', () => {
    expect(() => loadBackendConfig({ HOP_PROBABILITY: '0.2', MIN_NOTIFY_PROBABILITY: '0.5' })).toThrow(/nobody would ever be notified/);
  });

  it.each([
    ['thresholds that do not ascend', { ATTENUATION_THRESHOLDS_DB: '65,55,75' }, /must ascend/],
    ['three weights instead of four', { ATTENUATION_WEIGHTS: '1.5,1,0.5' }, /ATTENUATION_WEIGHTS .*4 comma-separated numbers/],
    ['a weight above 2.5', { ATTENUATION_WEIGHTS: '3,1,0.5,0' }, /ATTENUATION_WEIGHTS/],
    ['cases kept for less than their late uploads need', { CASE_RETENTION_DAYS: '20' }, /CASE_RETENTION_DAYS \(20\): must be at least/],
    ['a variable that no longer exists', { EXPOSURE_MIN_RSSI: '-75' }, /EXPOSURE_MIN_RSSI .*was replaced by attenuation buckets/],
  ])('refuses %s with a message naming the variable', (_name, env, message) => {
    expect(() => loadBackendConfig(env)).toThrow(message);
  });

  it('reads the exposure policy officials set', () => {
    const policy = loadBackendConfig({ ATTENUATION_THRESHOLDS_DB: '50, 60, 70', ATTENUATION_WEIGHTS: '2,1,0.25,0', EXPOSURE_MIN_MINUTES: '20', DEFAULT_TX_POWER_DBM: '-8' }).exposurePolicy;
    expect(policy.proximity).toMatchObject({ attenuationThresholdsDb: [50, 60, 70], bucketWeights: [2, 1, 0.25, 0], minWeightedMinutes: 20, defaultTxPowerDbm: -8 });
  });

  it('reads choices and flags in any case, as LOG_LEVEL always did', () => {
    const config = loadBackendConfig({ SQLITE_SYNCHRONOUS: 'normal', LOG_LEVEL: 'debug', DEV_SMS_ECHO: 'TRUE', BACKEND: 'Embedded' });
    expect(config).toMatchObject({ sqliteSynchronous: 'NORMAL', logLevel: 'DEBUG', devSmsEcho: true, backend: 'embedded' });
  });

  it('accepts token windows under an hour only with a loud warning', () => {
    expect(loadBackendConfig({ TOKEN_TTL_MINUTES: '30' }).warnings).toEqual([expect.stringContaining('TOKEN_TTL_MINUTES=30 is below 60')]);
    expect(loadBackendConfig({}).warnings).toEqual([]);
  });

  it.each(['127.0.0.1', '0.0.0.0', '::1', 'localhost', 'bridge-01.local'])('accepts HOST=%s', (host) => {
    expect(loadBackendConfig({ HOST: host }).host).toBe(host);
  });

  it.each(['999.1.1.1', '1.2.3', 'bad host', '-x'])('refuses HOST=%s', (host) => {
    expect(() => loadBackendConfig({ HOST: host })).toThrow(/HOST .*must be an IP address/);
  });

  it('reads LOG_FORMAT and ACCESS_LOG, and names a bad LOG_FORMAT with its choices', () => {
    expect(loadBackendConfig({})).toMatchObject({ logFormat: 'auto', accessLog: true });
    expect(loadBackendConfig({ LOG_FORMAT: 'Readable', ACCESS_LOG: 'false' })).toMatchObject({ logFormat: 'readable', accessLog: false });
    expect(() => loadBackendConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT.*auto.*json.*readable/s);
  });

  it('runs the embedded consumers in a thread unless told inline, and hands that thread the variables it was read from', () => {
    expect(loadBackendConfig({}).embeddedConsumer).toBe('thread');
    const inline = loadBackendConfig({ EMBEDDED_CONSUMER: 'Inline', PORT: '4000', UNRELATED: undefined });
    expect(inline.embeddedConsumer).toBe('inline');
    expect(inline.sourceEnv).toEqual({ EMBEDDED_CONSUMER: 'Inline', PORT: '4000' });
    expect(() => loadBackendConfig({ EMBEDDED_CONSUMER: 'process' })).toThrow(/EMBEDDED_CONSUMER.*thread.*inline/s);
  });

  it('treats empty variables as unset', () => {
    expect(loadBackendConfig({ PORT: '', LOG_LEVEL: '' }).port).toBe(3000);
  });
});
