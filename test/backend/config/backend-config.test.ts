import { describe, expect, it } from 'vitest';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { ConfigError } from '../../../backend/src/config/env-schema.js';

describe('backend configuration', () => {
  it('has the documented defaults', () => {
    const config = loadBackendConfig({});
    expect(config).toMatchObject({ port: 3000, dataDir: './data', logLevel: 'INFO', tokenTtlMinutes: 180, devSmsEcho: false });
    expect(config.exposurePolicy).toMatchObject({ minDurationMs: 15 * 60_000, minRssi: -75, minNotifyProbability: 0.1 });
    expect(config.exposurePolicy.hopProbability).toBeCloseTo(1 / 3);
    expect(config.exposurePolicy.lookbackMs).toBe(14 * 86_400_000);
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

  it('treats empty variables as unset', () => {
    expect(loadBackendConfig({ PORT: '', LOG_LEVEL: '' }).port).toBe(3000);
  });
});
