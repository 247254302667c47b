import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fictionalPhoneNumbers } from '../../../loadtest/src/population/fictional-phone-numbers.js';
import { Population, type Intent } from '../../../loadtest/src/population/population.js';
import { DEFAULT_POPULATION, type PopulationConfig } from '../../../loadtest/src/population/population-config.js';
import { SimulatedTime } from '../../../loadtest/src/population/simulated-time.js';
import { compressionForUploadRate, trafficRates } from '../../../loadtest/src/population/traffic-rates.js';
import { seededRandom } from '../../../loadtest/src/scheduler/random.js';

const WALL_START = Date.parse('2026-01-01T12:00:00Z');
const TTL_MS = 180 * 60_000;

function buildPopulation(overrides: Partial<PopulationConfig>) {
  const config: PopulationConfig = { ...DEFAULT_POPULATION, devices: 200, timeCompression: 600, ...overrides };
  const intents: { intent: Intent; at: number }[] = [];
  const time = new SimulatedTime(0, WALL_START, config.timeCompression);
  const population = new Population(config, seededRandom(11), time, (intent, at) => intents.push({ intent, at }), randomUUID, fictionalPhoneNumbers(config.devices, 0));
  population.devices.forEach((d, i) =>
    d.acceptTokens([{ token: `tok-${i}`, validFromMs: WALL_START - 60_000, validUntilMs: WALL_START - 60_000 + TTL_MS }], WALL_START),
  );
  return { population, intents, config };
}

function run(population: Population, durationMs: number): void {
  const sources = population.eventSources('poisson', 0);
  for (let t = 0; t <= durationMs; t += 5) for (const s of sources) s.pump(t);
}

const kinds = (intents: { intent: Intent }[], kind: Intent['kind']) => intents.filter((i) => i.intent.kind === kind);

describe('Class: Population', () => {
  it('uploads observations of other devices\u2019 real tokens, inside their validity windows, in batches of at most 50', () => {
    const { population, intents } = buildPopulation({});
    run(population, 60_000);
    const uploads = kinds(intents, 'contacts');
    expect(uploads.length).toBeGreaterThan(0);
    const owner = new Map(population.devices.map((d) => [d.tokens[0]!.token, d]));
    for (const { intent } of uploads) {
      if (intent.kind !== 'contacts') continue;
      const body = JSON.parse(intent.batch.body) as { observations: { token: string; firstSeen: string; lastSeen: string }[] };
      expect(body.observations.length).toBeGreaterThanOrEqual(1);
      expect(body.observations.length).toBeLessThanOrEqual(50);
      for (const o of body.observations) {
        const target = owner.get(o.token);
        expect(target).toBeDefined();
        expect(target).not.toBe(intent.batch.device);
        const window = target!.tokens[0]!;
        expect(Date.parse(o.firstSeen)).toBeGreaterThanOrEqual(window.validFromMs);
        expect(Date.parse(o.lastSeen)).toBeGreaterThanOrEqual(Date.parse(o.firstSeen));
        expect(Date.parse(o.lastSeen)).toBeLessThan(window.validUntilMs);
      }
    }
  });

  it.each([
    [200, 600, 1],
    [500, 300, 8],
    [100, 1_200, 4],
  ])('%i devices at compression %i with %i windows per call produce the derived request rates', (devices, timeCompression, tokensPerCall) => {
    const { population, intents, config } = buildPopulation({ devices, timeCompression, tokensPerCall });
    const seconds = 30;
    run(population, seconds * 1_000);
    const rates = trafficRates(config);
    const close = (observed: number, expectedRate: number) => {
      const expected = expectedRate * seconds;
      expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(expected) + 2);
    };
    close(population.stats.encounters, rates.encounters);
    close(kinds(intents, 'tokens').length, rates.tokenCalls);
    close(kinds(intents, 'notifications').length, rates.notificationPolls);
    const uploaded = kinds(intents, 'contacts').reduce((n, i) => n + (i.intent.kind === 'contacts' ? i.intent.batch.observationCount : 0), 0);
    const pending = population.devices.reduce((n, d) => n + d.pending.length, 0);
    expect(uploaded).toBe(population.stats.observationsBatched);
    expect(uploaded + pending).toBe(population.stats.encounters);
  });

  it.each([50, 10])('a warm start leaves every device part-way through a batch of %i, so uploads begin at once', (batchSize) => {
    const { population, intents } = buildPopulation({ devices: 300, batchSize });
    population.warmStart(0);
    const pending = population.devices.map((d) => d.pending.length);
    expect(Math.max(...pending)).toBeLessThan(batchSize);
    expect(pending.reduce((a, b) => a + b, 0)).toBe(population.stats.warmStartObservations);
    // Uniform fill: the mean is close to half a batch.
    expect(Math.abs(population.stats.warmStartObservations / 300 - (batchSize - 1) / 2)).toBeLessThan(batchSize / 8);
    run(population, 2_000);
    expect(kinds(intents, 'contacts').length).toBeGreaterThan(0);
  });

  it('skips (and counts) an encounter when the other device holds no token valid at that moment', () => {
    const { population } = buildPopulation({ devices: 10 });
    population.devices.forEach((d) => (d.tokens = []));
    for (let i = 0; i < 20; i++) population.encounter(i);
    expect(population.stats.noValidToken).toBe(20);
    expect(population.stats.encounters).toBe(0);
  });
});

describe('Function: compressionForUploadRate', () => {
  it.each([
    [2_222 * 0.01, 500],
    [2_222 * 0.001, 100],
    [5, 1_000],
  ])('a target of %s uploads/s with %i devices gives back that upload rate, and twice it in token calls', (uploads, devices) => {
    const base = { ...DEFAULT_POPULATION, devices };
    const timeCompression = compressionForUploadRate(uploads, base);
    const rates = trafficRates({ ...base, timeCompression });
    expect(rates.uploads).toBeCloseTo(uploads, 6);
    // 100 contacts in 12 h / 50 per batch vs one 3-hour token per call: the design's 4,444 : 2,222.
    expect(rates.tokenCalls / rates.uploads).toBeCloseTo(2, 6);
  });
});
