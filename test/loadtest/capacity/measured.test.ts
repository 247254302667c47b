import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESIGN_BASELINE } from '../../../loadtest/src/capacity/assumptions.js';
import { compareProfiles } from '../../../loadtest/src/capacity/compare.js';
import { deploymentSizing } from '../../../loadtest/src/capacity/deployment.js';
import { applyMeasurements } from '../../../loadtest/src/capacity/measured/apply-measurements.js';
import { BenchResultError, parseBenchResult, readBenchResult } from '../../../loadtest/src/capacity/measured/bench-results.js';
import { billedMs, consumerInvocation, lambdaCpuShare } from '../../../loadtest/src/capacity/measured/lambda-duration.js';
import { measuredInputs, type MeasuredInputs } from '../../../loadtest/src/capacity/measured/measured-inputs.js';
import { searchCpuSizing } from '../../../loadtest/src/capacity/measured/search-cpu.js';
import { LIST_PRICES, SEARCH_INSTANCE_HOURLY, SEARCH_INSTANCE_VCPUS } from '../../../loadtest/src/capacity/prices.js';

// Real results, written by the benches on the 2-core machine under a load average of ~40 (see fixtures/README.md).
const FIXTURES = join(import.meta.dirname, 'fixtures');
const SEARCH_INGEST = join(FIXTURES, 'search-ingest-2026-12-02T13-17-55-780Z.json');
const INGEST_EMBEDDED = join(FIXTURES, 'ingest-2026-12-02T13-22-28-762Z.json');
const INGEST_AWS = join(FIXTURES, 'ingest-aws-2026-12-02T13-50-24-718Z.json');
const raw = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

describe('Capacity model, measured: converting CPU time into Lambda duration', () => {
  it('gives one vCPU at 1,769 MB, in proportion below, and at most one to a single Node thread', () => {
    expect(lambdaCpuShare(1_769)).toBe(1);
    expect(lambdaCpuShare(512)).toBeCloseTo(0.28943, 5);
    expect(lambdaCpuShare(3_538)).toBe(1);
  });

  it('works out a consumer invocation by hand: 100 messages × 50 observations × 100 µs at 1,024 MB', () => {
    const c = consumerInvocation({ cpuMicrosecondsPerContact: 100, messagesPerInvocation: 100, observationsPerMessage: 50, memoryMb: 1_024 });
    expect(c.contactsPerInvocation).toBe(5_000);
    expect(c.cpuMsPerInvocation).toBeCloseTo(500, 9); // 5,000 × 100 µs
    expect(c.durationMs).toBeCloseTo(863.7695, 3); // 500 ms × 1,769 / 1,024
    // 1,000 contacts: 0.1 s of CPU × 1,769 / 1,024 MB of CPU share × 1 GB = 0.17275 GB-s, whatever the memory below 1,769 MB.
    expect(c.gbSecondsPerThousandContacts).toBeCloseTo(0.17275390625, 9);
    const atHalf = consumerInvocation({ cpuMicrosecondsPerContact: 100, messagesPerInvocation: 100, observationsPerMessage: 50, memoryMb: 512 });
    expect(atHalf.gbSecondsPerThousandContacts).toBeCloseTo(c.gbSecondsPerThousandContacts, 9);
    expect(atHalf.durationMs).toBeCloseTo(2 * c.durationMs, 6);
  });

  it('bills API handlers in whole milliseconds, rounded up', () => {
    expect(billedMs(0.3455)).toBe(1);
    expect(billedMs(6.91)).toBe(7);
    expect(billedMs(0)).toBe(1);
  });

  it("averages the API duration over the design's request mix: measured token calls and uploads, the rest assumed", () => {
    const inputs: MeasuredInputs = {
      registrationCpu: { value: 100, file: 'r.json', measuredAt: '2026-12-02T00:00:00Z', source: 'test' },
      uploadCpuPerContact: { value: 40, file: 'r.json', measuredAt: '2026-12-02T00:00:00Z', source: 'test', caveat: '' },
      unused: [],
    };
    const m = applyMeasurements(DESIGN_BASELINE, inputs, { apiMb: 512, consumerMb: 512 });
    // 100 µs ÷ 0.2894 = 0.35 ms → 1 ms; 50 × 40 µs = 2 ms ÷ 0.2894 = 6.9 ms → 7 ms.
    expect(m.api).toMatchObject({ tokenCallMs: 1, uploadMs: 7, otherMs: 30 });
    // Per day: 384 M token calls (8 windows × 48 M), 96 M uploads, 192 M polls + 9,600 infection-report calls.
    expect(m.assumptions.apiLambdaDurationMs).toBeCloseTo((384e6 * 1 + 96e6 * 7 + 192_009_600 * 30) / 672_009_600, 9);
    expect(m.assumptions.apiLambdaDurationMs).toBeCloseTo(10.1431, 4);
    expect(m.assumed.apiLambdaDurationMs).toBe(30);
    // The upload handler's GB-s per 1,000 contacts: 20 uploads × 7 ms × 0.5 GB.
    expect(m.gbSecondsPerThousandContacts?.upload).toBeCloseTo(20 * 0.007 * 0.5, 9);
  });

  it('keeps an assumption a flag set, and says so', () => {
    const inputs = measuredInputs([readBenchResult(INGEST_EMBEDDED)]);
    const m = applyMeasurements({ ...DESIGN_BASELINE, consumerLambdaDurationMs: 99 }, inputs, { apiMb: 512, consumerMb: 512 }, new Set(['consumerLambdaDurationMs']));
    expect(m.assumptions.consumerLambdaDurationMs).toBe(99);
    expect(m.keptByFlag).toEqual(['consumerLambdaDurationMs']);
    expect(m.assumptions.apiLambdaDurationMs).not.toBe(DESIGN_BASELINE.apiLambdaDurationMs);
  });
});

describe('Capacity model, measured: search data nodes against the peak', () => {
  it('works out the vCPUs needed by hand: 111,111 contacts/s × 197 µs × 2 copies against 12 × 8 vCPUs', () => {
    const s = searchCpuSizing({ peakContactsPerSecond: 111_111.111, nodeMicrosecondsPerContact: 197, replicas: 1, dataNodes: { instanceType: 'r7g.2xlarge.search', count: 12 } });
    expect(s.vcpusNeeded).toBeCloseTo(43.7778, 3);
    expect(s.vcpusConfigured).toBe(96);
    expect(s.headroom).toBeCloseTo(2.1929, 3);
    expect(searchCpuSizing({ peakContactsPerSecond: 111_111.111, nodeMicrosecondsPerContact: 197, replicas: 1, dataNodes: { instanceType: 'r7g.2xlarge.search', count: 4 } }).headroom).toBeLessThan(1);
  });

  it('has a vCPU count for every instance type it has a price for', () => {
    expect(Object.keys(SEARCH_INSTANCE_VCPUS).sort()).toEqual(Object.keys(SEARCH_INSTANCE_HOURLY).sort());
  });

  it("checks the prod stage's data nodes from the real search-ingest result, in the deployed notes", () => {
    const inputs = measuredInputs([readBenchResult(SEARCH_INGEST)]);
    const store = raw(SEARCH_INGEST).store;
    expect(inputs.searchNodeCpuPerContact?.value).toBeCloseTo((store.engineCpuSeconds * 1e6) / store.observations, 6);
    const deployed = compareProfiles({}, LIST_PRICES, undefined, { inputs, explicit: new Set() })[2]!;
    const search = deploymentSizing('prod').search;
    if (search.kind !== 'opensearch-service') throw new Error('prod runs a domain');
    const needed = (deployed.figures.uploadTpsUnbatched * inputs.searchNodeCpuPerContact!.value * (1 + search.replicas)) / 1e6;
    expect(deployed.measured?.searchCpu?.vcpusNeeded).toBeCloseTo(needed, 6);
    expect(deployed.measured?.searchCpu?.vcpusConfigured).toBe(search.dataNodes.count * SEARCH_INSTANCE_VCPUS[search.dataNodes.instanceType]!);
    expect(deployed.notes!.join('\n')).toMatch(/search CPU at the peak: [\d.]+ vCPUs needed .* vCPUs configured .*\((enough, headroom [\d.]+×|NOT enough: .*)\)/);
  });
});

describe('Capacity model, measured: reading benchmark results', () => {
  it('reads the real results with their dates, and picks each input from the one that measures it', () => {
    const inputs = measuredInputs([readBenchResult(SEARCH_INGEST), readBenchResult(INGEST_EMBEDDED)]);
    const ingest = raw(INGEST_EMBEDDED);
    expect(inputs.consumerCpuPerContact).toMatchObject({ value: ingest.contacts.serverMicrosecondsPerContact.otherThreads, file: INGEST_EMBEDDED, measuredAt: ingest.at });
    expect(inputs.consumerCpuPerContact?.caveat).toMatch(/SQLite/);
    expect(inputs.uploadCpuPerContact?.value).toBe(ingest.contacts.serverMicrosecondsPerContact.mainThread);
    expect(inputs.registrationCpu?.value).toBe(ingest.registrations.serverMicrosecondsPerRegistration);
    expect(inputs.searchNodeCpuPerContact?.file).toBe(SEARCH_INGEST);
    expect(inputs.unused).toEqual([]);
  });

  it('prefers a run on the AWS adapters for the consumer, and the newest of each kind', () => {
    const embedded = raw(INGEST_EMBEDDED);
    const aws = { ...embedded, at: '2026-12-01T00:00:00.000Z', settings: { ...embedded.settings, backend: 'aws' }, contacts: { ...embedded.contacts, cpuSeconds: { server: 0.5, opensearch: 0.6 } } };
    const older = { ...embedded, at: '2026-11-01T00:00:00.000Z' };
    const inputs = measuredInputs([parseBenchResult('aws.json', aws), parseBenchResult('older.json', older), parseBenchResult('embedded.json', embedded)]);
    expect(inputs.consumerCpuPerContact).toMatchObject({ file: 'aws.json', value: (0.5 * 1e6) / embedded.contacts.processedObservations });
    expect(inputs.consumerCpuPerContact?.caveat).toMatch(/upper bound/);
    expect(inputs.uploadCpuPerContact?.file).toBe('embedded.json');
    expect(inputs.registrationCpu?.file).toBe('aws.json');
    // Without a search-ingest result, the node CPU comes from the pipeline run.
    expect(inputs.searchNodeCpuPerContact).toMatchObject({ file: 'aws.json', value: (0.6 * 1e6) / embedded.contacts.processedObservations });
    expect(inputs.unused).toEqual(['older.json']);
  });

  it('dates a cold-start result written before the bench named itself by its file name', () => {
    const legacy = { node: 24, runs: 1, loadAverage: [1, 1, 1], results: [{ id: 'register-tokens', bundleBytes: 1, initMs: { median: 800, max: 900, runs: [800] }, initCpuMs: { median: 300, runs: [300] } }] };
    const result = parseBenchResult('bench-results/cold-start-2026-12-02T13-05-30.692Z.json', legacy);
    expect(result).toMatchObject({ kind: 'cold-start', measuredAt: '2026-12-02T13:05:30.692Z' });
    expect(() => parseBenchResult('elsewhere.json', legacy)).toThrow(/without its date/);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unrelated JSON document', { name: 'proxitrace', scripts: {} }, /not a benchmark result the capacity model reads/],
    ['another benchmark', { benchmark: 'outbreak', at: '2026-12-02T13:04:05.369Z' }, /not a benchmark result the capacity model reads/],
    ['an array', [1, 2], /not a benchmark result/],
    ['a search-ingest result without its store', { benchmark: 'search-ingest', at: '2026-12-02T13:17:55.780Z', perEngineCpuSecond: { share: 1 } }, /a search-ingest result, but not one the capacity model can read:\n {2}store: /],
    ['an ingest result with a negative CPU', { ...raw(INGEST_EMBEDDED), contacts: { ...raw(INGEST_EMBEDDED).contacts, serverMicrosecondsPerContact: { mainThread: -1, otherThreads: 1 } } }, /contacts\.serverMicrosecondsPerContact\.mainThread/],
  ])('refuses %s, naming the file and what is wrong', (_, json, message) => {
    expect(() => parseBenchResult('x.json', json)).toThrow(BenchResultError);
    expect(() => parseBenchResult('x.json', json)).toThrow(message);
  });

  it('refuses a file that is not there or not JSON', () => {
    expect(() => readBenchResult(join(FIXTURES, 'no-such.json'))).toThrow(/cannot read it \(ENOENT\)/);
    expect(() => readBenchResult(join(FIXTURES, 'README.md'))).toThrow(/not JSON/);
  });
});

describe('Capacity model, measured: the figures loadtest/README.md gives for the committed runs', () => {
  const inputs = measuredInputs([readBenchResult(SEARCH_INGEST), readBenchResult(INGEST_EMBEDDED)]);
  const [design, project, deployed] = compareProfiles({}, LIST_PRICES, undefined, { inputs, explicit: new Set() });

  it.each<[string, () => number | undefined, number, number]>([
    ['design consumer ms', () => design!.measured?.consumer?.durationMs, 115.7, 1],
    ['project consumer ms', () => project!.measured?.consumer?.durationMs, 1_157.5, 1],
    ['deployed consumer ms', () => deployed!.measured?.consumer?.durationMs, 578.7, 1],
    ['token call billed ms', () => deployed!.measured?.api?.tokenCallMs, 2, 9],
    ['upload billed ms', () => deployed!.measured?.api?.uploadMs, 8, 9],
    ['design API average ms', () => design!.assumptions.apiLambdaDurationMs, 10.86, 2],
    ['deployed API average ms', () => deployed!.assumptions.apiLambdaDurationMs, 16.31, 2],
    ['consumer GB-s per 1,000 contacts', () => deployed!.measured?.gbSecondsPerThousandContacts?.consumer, 0.1157, 4],
    ['upload handler GB-s per 1,000 contacts', () => deployed!.measured?.gbSecondsPerThousandContacts?.upload, 0.08, 4],
    ['search vCPUs needed', () => deployed!.measured?.searchCpu?.vcpusNeeded, 43.8, 1],
    ['search headroom', () => deployed!.measured?.searchCpu?.headroom, 2.19, 2],
  ])('%s', (_, get, stated, digits) => {
    expect(get()).toBeCloseTo(stated, digits);
  });

  it('prices the measured durations: Lambda compute of the deployed column', () => {
    const lambda = deployed!.costs.find((c) => c.service === 'Lambda compute')!;
    expect(Math.round(lambda.monthlyUsd)).toBe(1_579);
  });
});

describe('Capacity model, measured: the figures loadtest/README.md gives with the run on the AWS adapters', () => {
  const inputs = measuredInputs([readBenchResult(SEARCH_INGEST), readBenchResult(INGEST_EMBEDDED), readBenchResult(INGEST_AWS)]);
  const deployed = compareProfiles({}, LIST_PRICES, undefined, { inputs, explicit: new Set() })[2]!;

  it('takes the consumer and the token calls from the AWS run, the upload handler from the embedded one', () => {
    const aws = raw(INGEST_AWS);
    expect(inputs.consumerCpuPerContact?.value).toBeCloseTo((aws.contacts.cpuSeconds.server * 1e6) / aws.contacts.processedObservations, 6);
    expect(inputs.consumerCpuPerContact?.value).toBeCloseTo(450, 0);
    expect(inputs.registrationCpu?.value).toBe(3_104);
    expect(inputs.uploadCpuPerContact?.file).toBe(INGEST_EMBEDDED);
    expect(inputs.searchNodeCpuPerContact?.file).toBe(SEARCH_INGEST);
    expect((aws.contacts.cpuSeconds.opensearch * 1e6) / aws.contacts.processedObservations).toBeCloseTo(1_094, 0);
    expect(measuredInputs([readBenchResult(INGEST_AWS)]).searchNodeCpuPerContact?.value).toBeCloseTo(1_093.75, 6);
    expect(deployed.measured?.consumer?.durationMs).toBeCloseTo(3_887.0, 1);
    expect(deployed.measured?.gbSecondsPerThousandContacts?.consumer).toBeCloseTo(0.7774, 4);
    expect(deployed.measured?.api?.tokenCallMs).toBe(11);
    expect(Math.round(deployed.costs.find((c) => c.service === 'Lambda compute')!.monthlyUsd)).toBe(3_080);
  });
});
