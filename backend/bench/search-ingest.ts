import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@opensearch-project/opensearch';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../src/adapters/search/contact-indices.js';
import { OpenSearchContactStore } from '../src/adapters/search/opensearch-contact-store.js';
import { deleteContactIndices } from '../src/adapters/search/opensearch-indices.js';
import { installContactIndices } from '../src/adapters/search/search-setup.js';
import { OpenSearchEngine } from '../src/adapters/search/opensearch-engine.js';
import { startLocalServices } from '../../infra/local-services/start-local-services.js';
import { warmUpSearchEngine } from './engine-warmup.js';
import { cpuSecondsOf } from './process-cpu.js';
import { measureRawBulkCeiling } from './raw-bulk-ceiling.js';
import { runConsumers, StoredBatchWorkload } from './search-store-workload.js';
import { wholeNumberFlag } from './whole-number-flag.js';

const HELP = `Usage: npm run bench:search-ingest -- [options]

The OpenSearch contact store alone, without HTTP, SQS, DynamoDB or Cognito: what each stored
contact costs the node. The encounter workload of bench:ingest (pairs meeting for the first time,
both sides reporting, one encounter in --repeat-every seen again later) is folded into batches of
50 by the domain and applied as the consumer applies them: --consumers invocations at a time, each
of --batches batches sharing one merge bulk. Then the node's raw _bulk ceiling for the same
documents (plain index actions, as in bench:ingest --backend aws). Prints:
  per OpenSearch CPU second: contacts stored by the store ÷ raw documents indexed (target ≥ 0.5:
    the store costs the node at most twice a plain bulk index of the same documents);
  wall clock: the store's contacts/s ÷ the raw ceiling's documents/s (the pipeline ÷ ceiling ratio).

  --node URL         an OpenSearch node already running (default: start one; ~1–2 min)
  --node-pid N       its process id, for CPU accounting (required with --node)
  --devices N        simulated devices (default 500). A lead-in of N uploads comes first: both
                     sides and repeats of an encounter arrive within about N uploads, so the
                     measured phase merges its steady share; pairs stay new for ~N²/2 encounters
  --repeat-every N   one in N encounters is seen again later (default 5; 0: never)
  --consumers N      concurrent consumer invocations (default 2, SQS_CONSUMER_CONCURRENCY)
  --batches N        batches per invocation (default 100, the consumer's batch size)
  --warmup S         seconds of warm-up with the store's own requests (default 30; a fresh JVM needs ~60)
  --duration S       seconds of the measured phase (default 20)
  --bulk-size N      documents per raw _bulk request (default 5000)
  --out DIR          where to write the JSON result (default bench-results)
  --help             show this help`;

const { values } = parseArgs({
  options: {
    node: { type: 'string' },
    'node-pid': { type: 'string' },
    devices: { type: 'string', default: '500' },
    'repeat-every': { type: 'string', default: '5' },
    consumers: { type: 'string', default: '2' },
    batches: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '30' },
    duration: { type: 'string', default: '20' },
    'bulk-size': { type: 'string', default: '5000' },
    out: { type: 'string', default: 'bench-results' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const settings = {
  devices: wholeNumberFlag(values.devices, '--devices', 3),
  repeatEvery: wholeNumberFlag(values['repeat-every'], '--repeat-every', 0),
  consumers: wholeNumberFlag(values.consumers, '--consumers'),
  batchesPerInvocation: wholeNumberFlag(values.batches, '--batches'),
  warmupSeconds: wholeNumberFlag(values.warmup, '--warmup', 0),
  durationSeconds: wholeNumberFlag(values.duration, '--duration'),
  bulkSize: wholeNumberFlag(values['bulk-size'], '--bulk-size'),
};
if (values.node && !values['node-pid']) {
  console.error('--node needs --node-pid (the node process, for CPU accounting)');
  process.exit(2);
}
const loadAverageAtStart = loadavg();
const PREFIX = `search-bench-${Date.now()}-`;
const services = values.node ? undefined : await startLocalServices({ only: ['opensearch'], ports: 'free', progress: (m) => console.log(`  ${m}`) });
const node = values.node ?? services!.endpoints.opensearch!.node;
const pid = values.node ? wholeNumberFlag(values['node-pid']!, '--node-pid') : services!.pidOf.opensearch!;
const client = new Client({ node });
const names = contactIndexNames(PREFIX);
const storedContacts = async () => {
  await client.indices.refresh({ index: names.contactsPattern });
  return (await client.count({ index: names.contactsPattern })).body.count;
};
try {
  if (settings.warmupSeconds > 0) {
    console.log(`warming the node up for ${settings.warmupSeconds} s with the store's own requests…`);
    await warmUpSearchEngine(node, settings.warmupSeconds * 1000);
  }
  await installContactIndices(new OpenSearchEngine(client), names, LOCAL_INDEX_SETTINGS);
  const store = new OpenSearchContactStore(client, names);
  const workload = new StoredBatchWorkload(settings.devices, settings.repeatEvery, new Date());
  const consumerOptions = { consumers: settings.consumers, batchesPerInvocation: settings.batchesPerInvocation };
  // A lead-in of one upload per device: the other sides and repeats of its encounters arrive within
  // about as many uploads, so the measured phase merges as much as a day's steady traffic does.
  await runConsumers(store, workload, { ...consumerOptions, durationMs: 600_000, maxBatches: settings.devices });
  const storedBefore = await storedContacts();
  const before = { cpu: cpuSecondsOf(pid), counts: { ...workload.counts } };
  const run = await runConsumers(store, workload, { ...consumerOptions, durationMs: settings.durationSeconds * 1000 });
  const storeCpuSeconds = cpuSecondsOf(pid) - before.cpu;
  // Counted after the CPU span: the refresh it takes is not the store's cost.
  const inserted = (await storedContacts()) - storedBefore;
  const duplicates = workload.counts.duplicates - before.counts.duplicates;
  const generated = workload.counts.observations - before.counts.observations;

  const ceiling = await measureRawBulkCeiling({
    node,
    sourcePrefix: PREFIX,
    bulkSize: settings.bulkSize,
    concurrencies: [1, 2],
    durationMs: Math.max(5000, (settings.durationSeconds * 1000) / 2),
    engineCpuSeconds: () => cpuSecondsOf(pid),
  });
  const storePerCpuSecond = run.observations / storeCpuSeconds;
  const rawPerCpuSecond = ceiling.best.documents / ceiling.best.engineCpuSeconds!;
  const storeRate = run.observations / run.seconds;
  const result = {
    benchmark: 'search-ingest',
    at: new Date().toISOString(),
    machine: { loadAverageAtStart, loadAverageAtEnd: loadavg() },
    settings,
    store: { ...run, contactsPerSecond: storeRate, engineCpuSeconds: storeCpuSeconds, engineMicrosecondsPerContact: (storeCpuSeconds * 1e6) / run.observations, contactsInserted: inserted, contactsMerged: run.observations - inserted, generatedDuplicateShare: duplicates / generated },
    rawBulkCeiling: ceiling,
    perEngineCpuSecond: { storeContacts: storePerCpuSecond, rawDocuments: rawPerCpuSecond, share: storePerCpuSecond / rawPerCpuSecond },
    pipelineShareOfCeiling: storeRate / ceiling.documentsPerSecond,
    target: { perEngineCpuSecondShare: 0.5 },
  };
  console.log(`store:               ${run.observations} contacts from ${run.batches} batches in ${run.seconds.toFixed(1)} s = ${storeRate.toFixed(0)}/s: ${inserted} inserted, ${run.observations - inserted} merged into stored ones; node CPU ${storeCpuSeconds.toFixed(1)} s = ${result.store.engineMicrosecondsPerContact.toFixed(1)} µs/contact`);
  console.log(`raw _bulk ceiling:   ${ceiling.documentsPerSecond.toFixed(0)} documents/s (${ceiling.runs.map((r) => `${r.concurrency}×: ${r.documentsPerSecond.toFixed(0)}/s`).join(', ')}); ${((1e6 * ceiling.best.engineCpuSeconds!) / ceiling.best.documents).toFixed(1)} µs node CPU/document`);
  console.log(`per OpenSearch CPU:  ${storePerCpuSecond.toFixed(0)} contacts vs ${rawPerCpuSecond.toFixed(0)} raw documents per CPU second = ${result.perEngineCpuSecond.share.toFixed(2)} (target ≥ 0.50)`);
  console.log(`store / ceiling:     ${result.pipelineShareOfCeiling.toFixed(2)} in wall-clock rate (the node's share of a busy machine differs between the phases)`);
  console.log(`load average:        ${loadavg().map((l) => l.toFixed(2)).join(' ')} (at start ${loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')})`);
  mkdirSync(values.out, { recursive: true });
  const file = join(values.out, `search-ingest-${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`result: ${file}`);
} finally {
  await deleteContactIndices(client, names);
  await client.close();
  await services?.stop();
}
