import { randomUUID } from 'node:crypto';
import { generateSync } from 'otplib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { Pool } from 'undici';
import { AWS_BENCH_PREFIX, startAwsBenchServices, type AwsBenchServices } from './aws-bench-services.js';
import { startBenchServer } from './bench-server.js';
import { runClosedLoop } from './closed-loop.js';
import { EncounterWorkload, type WorkloadCounts } from './encounter-workload.js';
import { warmUpSearchEngine } from './engine-warmup.js';
import { cpuBetween, cpuSecondsOf, snapshotCpu, threadCpuSecondsOf } from './process-cpu.js';
import { measureRawBulkCeiling, type RawBulkCeiling } from './raw-bulk-ceiling.js';
import { wholeNumberFlag } from './whole-number-flag.js';

const HELP = `Usage: npm run bench:ingest -- [options]

Starts the local stack in its own process, signs up a closed set of simulated
devices, then measures:
  1. token registrations/s with p50/p99 latency (POST /v1/tokens), closed loop, and the
     server's CPU per registration;
  2. contacts/s end to end: POST /v1/contacts (batches of 50) → queue → consumer → stored,
     timed from the first upload until the queue is drained, after a warm-up of up to 5 s of
     uploads (drained first), with the CPU time each process of the stack spent on it.
     The uploads are the design's workload: encounters of pairs that have not met before, each
     reported by both sides (half the observations are two-sided duplicates), one in
     --repeat-every seen again later by one side. Stored contacts are reported as inserted
     (new) and merged; a measured phase that inserted nothing new fails the benchmark.
With --backend aws the stack runs on DynamoDB Local, ElasticMQ, an OpenSearch node and
cognito-local (npm run stack); the node is first warmed up for 15 s with the contact store's
own requests (a fresh JVM spends its first minutes compiling), and a third phase measures
  3. the raw _bulk ceiling of that OpenSearch node for the same documents: every stored
     contact read back and indexed again with plain bulk index actions, at 1, 2 and 4
     concurrent requests; the best rate is the ceiling, and the pipeline's share of it is
     printed (target ≥ 0.5).
Prints the figures and writes a JSON result.

  --backend B        embedded (default: SQLite) or aws (the local AWS-compatible services)
  --devices N        simulated devices (default 5000): enough that every encounter of the
                     measured phase is a pair's first
  --connections N    concurrent connections (default 32)
  --repeat-every N   one in N encounters is seen again later (default 5; 0: never)
  --duration S       seconds per phase (default 10)
  --synchronous M    SQLITE_SYNCHRONOUS for the embedded stack: FULL (default) or NORMAL
  --bulk-size N      documents per raw _bulk request with --backend aws (default 5000,
                     what one consumer invocation of 100 batches writes)
  --out DIR          where to write the JSON result (default bench-results)
  --help             show this help

Targets (2-core machine, issue 14): ≥ 8,000 registrations/s with p99 ≤ 20 ms and ≥ 55,555
contacts/s (half the national peak) in the same run (embedded); with aws, per OpenSearch CPU
second ≥ half the contacts of a raw bulk index.`;

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '5000' },
    'repeat-every': { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '10' },
    backend: { type: 'string', default: 'embedded' },
    synchronous: { type: 'string', default: 'FULL' },
    'bulk-size': { type: 'string', default: '5000' },
    out: { type: 'string', default: 'bench-results' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const deviceCount = wholeNumberFlag(values.devices, '--devices');
const connections = wholeNumberFlag(values.connections, '--connections');
const repeatEvery = values['repeat-every'] === '0' ? 0 : wholeNumberFlag(values['repeat-every'], '--repeat-every');
if (deviceCount < 3) {
  console.error('--devices must be at least 3');
  process.exit(2);
}
const durationMs = wholeNumberFlag(values.duration, '--duration') * 1000;
const synchronous = values.synchronous.toUpperCase();
if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
  console.error(`--synchronous must be FULL or NORMAL, got "${values.synchronous}"`);
  process.exit(2);
}
const backend = values.backend.toLowerCase();
if (backend !== 'embedded' && backend !== 'aws') {
  console.error(`--backend must be embedded or aws, got "${values.backend}"`);
  process.exit(2);
}
const bulkSize = wholeNumberFlag(values['bulk-size'], '--bulk-size');
const OFFICIAL = '+15550009999';
const loadAtStart = (await import('node:os')).loadavg();

let awsServices: AwsBenchServices | undefined;
if (backend === 'aws') {
  console.log('starting DynamoDB Local, ElasticMQ, OpenSearch and cognito-local…');
  awsServices = await startAwsBenchServices((message) => console.log(`  ${message}`));
  await phase('search engine warm-up', (bar) => warmUpSearchEngine(awsServices!.opensearchNode, 15_000, (n) => bar.update(n)), 'contacts');
}
const server = await startBenchServer({
  OFFICIAL_PHONE_NUMBERS: OFFICIAL,
  TOKEN_GRACE_MINUTES: '60',
  // A few thousand devices meet far more partners each than people do, so every token is seen by
  // hundreds of reporters: more than the relay check allows (TOKEN_MAX_REPORTERS_PER_WINDOW).
  TOKEN_MAX_REPORTERS_PER_WINDOW: '100000',
  ...(awsServices ? awsServices.env : { SQLITE_SYNCHRONOUS: synchronous }),
}).catch(async (error: unknown) => {
  await awsServices?.stop();
  throw error;
});
const pool = new Pool(server.url, { connections, pipelining: 1 });
try {
  console.log(`local stack (${backend}) at ${server.url}; signing up ${deviceCount} devices…`);
  const official = await signInOfficial(OFFICIAL);
  const devices: { auth: string; token: string }[] = await phase('device sign-up', (bar) =>
    mapConcurrently(deviceCount, connections, async (i) => {
      const auth = `Bearer ${await signIn(`+1555${String(1_000_000 + i).padStart(7, '0')}`)}`;
      const tokens = await post('/v1/tokens', '{}', auth);
      bar.increment();
      return { auth, token: (JSON.parse(tokens) as { tokens: { token: string }[] }).tokens[0]!.token };
    }),
    'devices',
  );

  // The server's CPU over the registration phase: what one POST /v1/tokens costs (npm run capacity --measured).
  const registrationCpuBefore = cpuSecondsOf(server.child.pid!);
  const registrations = await phase('token registrations', (bar) =>
    runClosedLoop({
      pool,
      connections,
      durationMs,
      expectStatus: 201,
      next: (i) => ({ path: '/v1/tokens', body: '{"count":1}', headers: headers(devices[i % deviceCount]!.auth) }),
      onProgress: (n) => bar.update(n),
    }),
  );

  const registrationServerCpuSeconds = round3(cpuSecondsOf(server.child.pid!) - registrationCpuBefore);
  const registered = registrations.statuses['201'] ?? 0;

  // Encounters over the last 50 minutes: inside the tokens' window and its 60 minutes of grace.
  const now = Date.now();
  const workload = new EncounterWorkload({ tokens: devices.map((d) => d.token), repeatEvery, from: new Date(now - 50 * 60_000), to: new Date(now - 60_000) });
  const uploadPhase = (name: string, phaseMs: number) =>
    phase(name, (bar) =>
      runClosedLoop({
        pool,
        connections,
        durationMs: phaseMs,
        expectStatus: 202,
        next: () => {
          const upload = workload.next();
          return { path: '/v1/contacts', body: JSON.stringify({ batchId: randomUUID(), observations: upload.observations }), headers: headers(devices[upload.device]!.auth) };
        },
        onProgress: (n) => bar.update(n),
      }),
    );
  // The engines' JIT compilers work hardest on their first minutes of load: warm the whole path.
  const warmup = await uploadPhase('warm-up uploads', Math.min(durationMs, 5000));
  const warmupStats = await waitForDrain(official);

  // CPU seconds of every process of the stack over the upload-to-drained span: where the time goes.
  const processes = { server: server.child.pid!, benchClient: process.pid, ...(awsServices?.pidOf ?? {}) };
  const cpuBefore = snapshotCpu(processes);
  const serverThreadsBefore = threadCpuSecondsOf(server.child.pid!);
  const uploadStarted = performance.now();
  const countsBefore = { ...workload.counts };
  const uploads = await uploadPhase('contact uploads', durationMs);
  const sent = countsSince(countsBefore, workload.counts);
  const acceptedObservations = (uploads.statuses['202'] ?? 0) * 50;
  const drained = await waitForDrain(official);
  const endToEndSeconds = (performance.now() - uploadStarted) / 1000;
  const cpuSeconds = cpuBetween(cpuBefore, snapshotCpu(processes));
  const serverThreadsAfter = threadCpuSecondsOf(server.child.pid!);
  const serverThreads = {
    mainThread: round3(serverThreadsAfter.mainThread - serverThreadsBefore.mainThread),
    otherThreads: round3(serverThreadsAfter.otherThreads - serverThreadsBefore.otherThreads),
  };
  const observationsProcessed = drained.observationsProcessed - warmupStats.observationsProcessed;
  const contactsInserted = drained.contactsStored - warmupStats.contactsStored;
  const stats = {
    observationsProcessed,
    contactsStored: contactsInserted,
    contactsInserted,
    observationsMerged: observationsProcessed - contactsInserted,
    deadLettered: drained.queue.deadLettered,
  };
  const contactsPerSecond = stats.observationsProcessed / endToEndSeconds;

  let ceiling: RawBulkCeiling | undefined;
  if (awsServices) {
    await pool.close();
    await server.stop(); // the node gets the machine to itself, as the pipeline had it
    ceiling = await phase('raw _bulk ceiling', (bar) =>
      measureRawBulkCeiling({
        node: awsServices!.opensearchNode,
        sourcePrefix: AWS_BENCH_PREFIX,
        bulkSize,
        concurrencies: [1, 2, 4],
        durationMs: Math.max(3000, durationMs / 2),
        onProgress: (n) => bar.update(n),
        engineCpuSeconds: () => cpuSecondsOf(awsServices!.pidOf.opensearch!),
      }),
      'documents',
    );
  }

  const result = {
    benchmark: 'ingest',
    at: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: (await import('node:os')).loadavg() },
    settings: { backend, devices: deviceCount, repeatEvery, connections, durationSeconds: durationMs / 1000, ...(awsServices ? { bulkSize } : { sqliteSynchronous: synchronous }) },
    registrations: {
      ...registrations,
      serverCpuSeconds: registrationServerCpuSeconds,
      serverMicrosecondsPerRegistration: registered > 0 ? Math.round((registrationServerCpuSeconds * 1e6) / registered) : null,
      target: { ratePerSecond: 8000, p99Ms: 20 },
    },
    contacts: {
      uploadRequests: uploads,
      acceptedObservations,
      processedObservations: stats.observationsProcessed,
      contactsStored: stats.contactsStored,
      contactsInserted: stats.contactsInserted,
      observationsMerged: stats.observationsMerged,
      workloadGenerated: { ...sent, duplicateShare: round3(sent.duplicates / sent.observations) },
      deadLettered: stats.deadLettered,
      warmupUploadRequests: warmup.requests,
      endToEndSeconds,
      contactsPerSecond,
      cpuSeconds,
      serverThreadCpuSeconds: serverThreads,
      serverMicrosecondsPerContact: {
        mainThread: Math.round((serverThreads.mainThread * 1e6) / stats.observationsProcessed),
        otherThreads: Math.round((serverThreads.otherThreads * 1e6) / stats.observationsProcessed),
      },
      cpuSecondsPerThousandContacts: Object.fromEntries(Object.entries(cpuSeconds).map(([name, s]) => [name, round3((s * 1000) / stats.observationsProcessed)])),
      ...(ceiling ? {} : { target: { contactsPerSecond: 55_555 } }),
    },
  };
  const comparison = ceiling ? ceilingComparison(ceiling, contactsPerSecond, cpuSeconds.opensearch! / stats.observationsProcessed) : undefined;
  Object.assign(result, comparison);
  console.log('');
  console.log(`token registrations: ${registrations.ratePerSecond.toFixed(0)}/s  p50 ${registrations.latencyMs.p50} ms  p99 ${registrations.latencyMs.p99} ms  errors ${registrations.errors}  server CPU ${registrationServerCpuSeconds.toFixed(1)} s = ${result.registrations.serverMicrosecondsPerRegistration ?? '–'} µs/registration`);
  console.log(`contact uploads:     ${uploads.ratePerSecond.toFixed(0)} batches/s accepted (${(uploads.ratePerSecond * 50).toFixed(0)} observations/s)  p99 ${uploads.latencyMs.p99} ms  errors ${uploads.errors}`);
  console.log(`end to end:          ${contactsPerSecond.toFixed(0)} contacts/s (${stats.observationsProcessed} observations in ${endToEndSeconds.toFixed(1)} s: ${stats.contactsInserted} new contacts inserted, ${stats.observationsMerged} merged into existing ones)`);
  // What the workload generated in the phase, uploaded or still in a device's unfilled batch: the
  // other side of an encounter near the end may not be uploaded yet, so fewer merges are stored.
  console.log(`workload generated:  ${sent.encounters} encounters, ${sent.observations} observations, ${(100 * sent.duplicates / sent.observations).toFixed(1)}% duplicates (two-sided or repeat)`);
  const cpuTotal = Object.values(cpuSeconds).reduce((a, b) => a + b, 0);
  console.log(`CPU over that span:  ${Object.entries(cpuSeconds).map(([name, s]) => `${name} ${s.toFixed(1)} s (${Math.round((100 * s) / cpuTotal)}%)`).join(', ')}`);
  const perContact = (seconds: number) => ((seconds * 1e6) / stats.observationsProcessed).toFixed(1);
  console.log(`server threads:      main (HTTP) ${serverThreads.mainThread.toFixed(1)} s = ${perContact(serverThreads.mainThread)} µs/contact, others (consumer, GC, libuv) ${serverThreads.otherThreads.toFixed(1)} s = ${perContact(serverThreads.otherThreads)} µs/contact`);
  console.log(`load average:        ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine inflates CPU and wall time alike)`);
  if (ceiling && comparison) {
    const runs = ceiling.runs.map((r) => `${r.concurrency}×: ${r.documentsPerSecond.toFixed(0)}/s`).join(', ');
    console.log(`raw _bulk ceiling:   ${ceiling.documentsPerSecond.toFixed(0)} documents/s (${ceiling.sourceDocuments} stored contacts re-indexed, ${ceiling.bulkSize} per request; ${runs})`);
    console.log(`pipeline / ceiling:  ${comparison.pipelineShareOfCeiling.toFixed(2)} (target ≥ 0.50)`);
    const perCpu = comparison.perEngineCpuSecond;
    console.log(`per OpenSearch CPU:  ${perCpu.pipelineContacts.toFixed(0)} contacts vs ${perCpu.rawDocuments.toFixed(0)} raw documents per CPU second = ${perCpu.share.toFixed(2)}`);
  }
  mkdirSync(values.out, { recursive: true });
  const file = join(values.out, `ingest-${backend === 'aws' ? 'aws-' : ''}${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`result: ${file}`);
  if (stats.contactsInserted <= 0) {
    console.error('FAILED: the measured phase stored no new contact: it measured merges into existing records only, not the design\'s workload');
    process.exitCode = 1;
  }
} finally {
  if (!pool.closed) await pool.close();
  await server.stop();
  await awsServices?.stop();
}

async function phase<T>(name: string, run: (bar: SingleBar) => Promise<T>, unit = 'requests'): Promise<T> {
  const bar = new SingleBar({ format: `${name.padEnd(20)} {value} ${unit} | {duration}s`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
  bar.start(0, 0);
  bar.setTotal(Number.MAX_SAFE_INTEGER);
  const result = await run(bar);
  bar.stop();
  return result;
}

/**
 * The pipeline against the raw ceiling: in wall-clock rate (the target), and per CPU second of the
 * OpenSearch process, which tells the engine's share of the cost apart from the machine's: on a
 * small machine the other engines and the server compete with the node for the same cores.
 */
function ceilingComparison(ceiling: RawBulkCeiling, contactsPerSecond: number, engineCpuPerContact: number) {
  const rawPerCpuSecond = ceiling.best.documents / (ceiling.best.engineCpuSeconds ?? Number.NaN);
  const pipelinePerCpuSecond = 1 / engineCpuPerContact;
  return {
    rawBulkCeiling: ceiling,
    pipelineShareOfCeiling: contactsPerSecond / ceiling.documentsPerSecond,
    perEngineCpuSecond: { pipelineContacts: pipelinePerCpuSecond, rawDocuments: rawPerCpuSecond, share: pipelinePerCpuSecond / rawPerCpuSecond },
    target: { pipelineShareOfCeiling: 0.5 },
  };
}

function countsSince(before: WorkloadCounts, after: WorkloadCounts): WorkloadCounts {
  return { encounters: after.encounters - before.encounters, observations: after.observations - before.observations, duplicates: after.duplicates - before.duplicates };
}

/** fn(0) … fn(count - 1), at most `concurrency` at a time, results in order. */
async function mapConcurrently<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

async function waitForDrain(officialToken: string) {
  for (;;) {
    const stats = JSON.parse(await get('/v1/admin/stats', `Bearer ${officialToken}`)) as {
      queue: { backlog: number; inFlight: number; deadLettered: number };
      observationsProcessed: number;
      contactsStored: number;
    };
    if (stats.queue.backlog === 0 && stats.queue.inFlight === 0) return stats;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function signIn(phoneNumber: string): Promise<string> {
  const challenge = JSON.parse(await post('/v1/auth/sms', JSON.stringify({ phoneNumber }))) as { challengeId: string; devCode: string };
  const verified = JSON.parse(await post('/v1/auth/verify', JSON.stringify({ challengeId: challenge.challengeId, code: challenge.devCode }))) as {
    accessToken: string;
  };
  return verified.accessToken;
}

/** Officials sign in with the SMS code and an authenticator code; a fresh stack enrols one first. */
async function signInOfficial(phoneNumber: string): Promise<string> {
  const challenge = async () => JSON.parse(await post('/v1/auth/official/sms', JSON.stringify({ phoneNumber }))) as { challengeId: string; devCode: string };
  const enrolment = await challenge();
  const { secret } = JSON.parse(await post('/v1/auth/official/totp', JSON.stringify({ challengeId: enrolment.challengeId, code: enrolment.devCode }))) as { secret: string };
  const sms = await challenge();
  const verified = JSON.parse(await post('/v1/auth/official/verify', JSON.stringify({ challengeId: sms.challengeId, code: sms.devCode, totp: generateSync({ secret }) }))) as {
    accessToken: string;
  };
  return verified.accessToken;
}

function headers(authorization?: string): Record<string, string> {
  return { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
}

async function post(path: string, body: string, authorization?: string): Promise<string> {
  const response = await pool.request({ method: 'POST', path, body, headers: headers(authorization) });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${path}: ${response.statusCode} ${text}`);
  return text;
}

async function get(path: string, authorization: string): Promise<string> {
  const response = await pool.request({ method: 'GET', path, headers: { authorization } });
  return response.body.text();
}
