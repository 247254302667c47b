import type { BenchResult, IngestResult } from './bench-results.js';

/** A measured figure and where it came from: the file, the date it was measured and which field, in words. */
export interface Measured {
  value: number;
  file: string;
  measuredAt: string;
  source: string;
}

export interface MeasuredInputs {
  /** CPU one contact (observation) costs the consumer, µs; with the workload's duplicate share. */
  consumerCpuPerContact?: Measured & { duplicateShare: number; caveat: string };
  /** CPU the API spends per uploaded observation (the upload handler), µs. */
  uploadCpuPerContact?: Measured & { caveat: string };
  /** CPU the API spends per POST /v1/tokens, µs. */
  registrationCpu?: Measured;
  /** OpenSearch node CPU per contact applied, µs, on one node without replicas. */
  searchNodeCpuPerContact?: Measured & { duplicateShare: number };
  /** Median initialisation per function, ms (wall and CPU). */
  coldStarts?: { file: string; measuredAt: string; functions: { id: string; initMs: number; initCpuMs: number }[] };
  /** Results read but not used, because a newer or better-suited one gave the same input. */
  unused: string[];
}

/**
 * Picks, for each input, the measurement that fits it best: the newest result of each kind, and for
 * the consumer and the token calls a run on the AWS adapters (what the Lambdas run) before one on SQLite.
 */
export function measuredInputs(results: BenchResult[]): MeasuredInputs {
  const newest = <K extends BenchResult['kind']>(kind: K) =>
    results.filter((r): r is Extract<BenchResult, { kind: K }> => r.kind === kind).sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  const ingests = newest('ingest');
  const aws = ingests.find((r) => r.data.settings.backend === 'aws');
  const embedded = ingests.find((r) => r.data.settings.backend === 'embedded');
  const search = newest('search-ingest')[0];
  const cold = newest('cold-start')[0];
  const inputs: MeasuredInputs = { unused: [] };
  const from = (r: BenchResult, value: number, source: string) => ({ value, file: r.file, measuredAt: r.measuredAt, source });
  const perContact = (r: { data: IngestResult }, seconds: number) => (seconds * 1e6) / r.data.contacts.processedObservations;

  if (aws) {
    inputs.consumerCpuPerContact = {
      ...from(aws, perContact(aws, aws.data.contacts.cpuSeconds.server!), 'bench:ingest --backend aws: server process CPU ÷ contacts processed, upload to drained'),
      duplicateShare: aws.data.contacts.workloadGenerated.duplicateShare,
      caveat: 'an upper bound: with BACKEND=aws the consumer runs in the server process, so the upload handlers are included',
    };
  } else if (embedded) {
    inputs.consumerCpuPerContact = {
      ...from(embedded, embedded.data.contacts.serverMicrosecondsPerContact.otherThreads, 'bench:ingest (embedded): the consumer thread and its helpers, µs per contact'),
      duplicateShare: embedded.data.contacts.workloadGenerated.duplicateShare,
      caveat: 'measured on SQLite, not the AWS adapters the Lambda consumer uses',
    };
  }
  if (embedded) {
    inputs.uploadCpuPerContact = {
      ...from(embedded, embedded.data.contacts.serverMicrosecondsPerContact.mainThread, 'bench:ingest (embedded): the HTTP thread, µs per contact uploaded'),
      caveat: 'the local HTTP server parses what API Gateway parses on AWS, and stores receipts in SQLite, not DynamoDB',
    };
  }
  // The AWS adapters' token calls (Cognito's tokens checked, windows written to DynamoDB) before SQLite's.
  const withRegistrations = [...ingests].sort((a, b) => Number(b.data.settings.backend === 'aws') - Number(a.data.settings.backend === 'aws')).find((r) => typeof r.data.registrations.serverMicrosecondsPerRegistration === 'number');
  if (withRegistrations) {
    inputs.registrationCpu = from(withRegistrations, withRegistrations.data.registrations.serverMicrosecondsPerRegistration!, `bench:ingest (${withRegistrations.data.settings.backend}): server process CPU ÷ tokens issued (201s)`);
  }
  if (search) {
    inputs.searchNodeCpuPerContact = {
      ...from(search, search.data.store.engineMicrosecondsPerContact, 'bench:search-ingest: OpenSearch node CPU ÷ contacts applied by the store'),
      duplicateShare: search.data.store.generatedDuplicateShare,
    };
  } else if (aws?.data.contacts.cpuSeconds.opensearch !== undefined) {
    inputs.searchNodeCpuPerContact = {
      ...from(aws, perContact(aws, aws.data.contacts.cpuSeconds.opensearch), 'bench:ingest --backend aws: OpenSearch process CPU ÷ contacts processed'),
      duplicateShare: aws.data.contacts.workloadGenerated.duplicateShare,
    };
  }
  if (cold) {
    inputs.coldStarts = { file: cold.file, measuredAt: cold.measuredAt, functions: cold.data.results.map((r) => ({ id: r.id, initMs: r.initMs.median, initCpuMs: r.initCpuMs.median })) };
  }
  const used = new Set([inputs.consumerCpuPerContact, inputs.uploadCpuPerContact, inputs.registrationCpu, inputs.searchNodeCpuPerContact, inputs.coldStarts].map((m) => m?.file));
  inputs.unused = results.map((r) => r.file).filter((file) => !used.has(file));
  return inputs;
}
