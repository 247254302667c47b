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
import { warmUpSearchEngine } from './engine-warmup.js';
import { cpuBetween, cpuSecondsOf, snapshotCpu } from './process-cpu.js';
import { measureRawBulkCeiling, type RawBulkCeiling } from './raw-bulk-ceiling.js';

const HELP = `Usage: npm run bench:ingest -- [options]

Starts the local stack in its own process, signs up a closed set of simulated
devices, then measures:
  1. token registrations/s with p50/p99 latency (POST /v1/tokens), closed loop;
  2. contacts/s end to end: POST /v1/contacts (batches of 50) → queue → consumer → stored,
     timed from the first upload until the queue is drained, after a warm-up of up to 5 s of
     uploads (drained first), with the CPU time each process of the stack spent on it.
With --backend aws the stack runs on DynamoDB Local, ElasticMQ, an OpenSearch node and
cognito-local (npm run stack); the node is first warmed up for 15 s with the contact store's
own requests (a fresh JVM spends its first minutes compiling), and a third phase measures
  3. the raw _bulk ceiling of that OpenSearch node for the same documents: every stored
     contact read back and indexed again with plain bulk index actions, at 1, 2 and 4
     concurrent requests; the best rate is the ceiling, and the pipeline's share of it is
     printed (target ≥ 0.5).
Prints the figures and writes a JSON result.

  --backend B        embedded (default: SQLite) or aws (the local AWS-compatible services)
  --devices N        simulated devices (default 500)
  --connections N    concurrent connections (default 32)
  --duration S       seconds per phase (default 10)
  --synchronous M    SQLITE_SYNCHRONOUS for the embedded stack: FULL (default) or NORMAL
  --bulk-size N      documents per raw _bulk request with --backend aws (default 5000,
                     what one consumer invocation of 100 batches writes)
  --out DIR          where to write the JSON result (default bench-results)
  --help             show this help

Targets (2-core machine): ≥ 4,000 registrations/s with p99 < 50 ms; ≥ 25,000 contacts/s
(embedded); with aws, contacts/s ≥ half the raw bulk ceiling.`;

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '500' },
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
const deviceCount = positiveInt(values.devices, '--devices');
const connections = positiveInt(values.connections, '--connections');
const durationMs = positiveInt(values.duration, '--duration') * 1000;
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
const bulkSize = positiveInt(values['bulk-size'], '--bulk-size');
const OFFICIAL = '+15550009999';

let awsServices: AwsBenchServices | undefined;
if (backend === 'aws') {
  console.log('starting DynamoDB Local, ElasticMQ, OpenSearch and cognito-local…');
  awsServices = await startAwsBenchServices((message) => console.log(`  ${message}`));
  await phase('search engine warm-up', (bar) => warmUpSearchEngine(awsServices!.opensearchNode, 15_000, (n) => bar.update(n)), 'contacts');
}
const server = await startBenchServer({
  OFFICIAL_PHONE_NUMBERS: OFFICIAL,
  TOKEN_GRACE_MINUTES: '60',
  ...(awsServices ? awsServices.env : { SQLITE_SYNCHRONOUS: synchronous }),
}).catch(async (error: unknown) => {
  await awsServices?.stop();
  throw error;
});
const pool = new Pool(server.url, { connections, pipelining: 1 });
try {
  console.log(`local stack (${backend}) at ${server.url}; signing up ${deviceCount} devices…`);
  const official = await signInOfficial(OFFICIAL);
  const devices: { auth: string; token: string }[] = [];
  for (let i = 0; i < deviceCount; i++) {
    const auth = `Bearer ${await signIn(`+1555${String(1_000_000 + i).padStart(7, '0')}`)}`;
    const tokens = await post('/v1/tokens', '{}', auth);
    devices.push({ auth, token: (JSON.parse(tokens) as { tokens: { token: string }[] }).tokens[0]!.token });
  }

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

  const now = Date.now();
  // Upload i comes from device i mod N; each of its uploads reports the next 50 other devices (a
  // device never reports the same encounter twice in a row). The first report of a pair inserts a
  // contact; the other side's report, and any report once the N² pairs are used up, merge into it.
  const bodyFor = (i: number) => {
    const uploader = i % deviceCount;
    const round = Math.floor(i / deviceCount);
    const observations = Array.from({ length: 50 }, (_, j) => {
      const seen = devices[(uploader + 1 + ((round * 50 + j) % (deviceCount - 1))) % deviceCount]!;
      return { token: seen.token, firstSeen: new Date(now - 30 * 60_000).toISOString(), lastSeen: new Date(now - 60_000).toISOString(), rssi: -60 };
    });
    return JSON.stringify({ batchId: randomUUID(), observations });
  };
  let uploadsSent = 0;
  const uploadPhase = (name: string, phaseMs: number) =>
    phase(name, (bar) =>
      runClosedLoop({
        pool,
        connections,
        durationMs: phaseMs,
        expectStatus: 202,
        next: () => {
          const i = uploadsSent++;
          return { path: '/v1/contacts', body: bodyFor(i), headers: headers(devices[i % deviceCount]!.auth) };
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
  const uploadStarted = performance.now();
  const uploads = await uploadPhase('contact uploads', durationMs);
  const acceptedObservations = (uploads.statuses['202'] ?? 0) * 50;
  const drained = await waitForDrain(official);
  const endToEndSeconds = (performance.now() - uploadStarted) / 1000;
  const cpuSeconds = cpuBetween(cpuBefore, snapshotCpu(processes));
  const stats = {
    observationsProcessed: drained.observationsProcessed - warmupStats.observationsProcessed,
    contactsStored: drained.contactsStored - warmupStats.contactsStored,
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
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    settings: { backend, devices: deviceCount, connections, durationSeconds: durationMs / 1000, ...(awsServices ? { bulkSize } : { sqliteSynchronous: synchronous }) },
    registrations: { ...registrations, target: { ratePerSecond: 4000, p99Ms: 50 } },
    contacts: {
      uploadRequests: uploads,
      acceptedObservations,
      processedObservations: stats.observationsProcessed,
      contactsStored: stats.contactsStored,
      deadLettered: stats.deadLettered,
      warmupUploadRequests: warmup.requests,
      endToEndSeconds,
      contactsPerSecond,
      cpuSeconds,
      cpuSecondsPerThousandContacts: Object.fromEntries(Object.entries(cpuSeconds).map(([name, s]) => [name, round3((s * 1000) / stats.observationsProcessed)])),
      ...(ceiling ? {} : { target: { contactsPerSecond: 25_000 } }),
    },
  };
  const comparison = ceiling ? ceilingComparison(ceiling, contactsPerSecond, cpuSeconds.opensearch! / stats.observationsProcessed) : undefined;
  Object.assign(result, comparison);
  console.log('');
  console.log(`token registrations: ${registrations.ratePerSecond.toFixed(0)}/s  p50 ${registrations.latencyMs.p50} ms  p99 ${registrations.latencyMs.p99} ms  errors ${registrations.errors}`);
  console.log(`contact uploads:     ${uploads.ratePerSecond.toFixed(0)} batches/s accepted (${(uploads.ratePerSecond * 50).toFixed(0)} observations/s)  p99 ${uploads.latencyMs.p99} ms  errors ${uploads.errors}`);
  console.log(`end to end:          ${contactsPerSecond.toFixed(0)} contacts/s (${stats.observationsProcessed} observations stored as ${stats.contactsStored} contacts in ${endToEndSeconds.toFixed(1)} s)`);
  const cpuTotal = Object.values(cpuSeconds).reduce((a, b) => a + b, 0);
  console.log(`CPU over that span:  ${Object.entries(cpuSeconds).map(([name, s]) => `${name} ${s.toFixed(1)} s (${Math.round((100 * s) / cpuTotal)}%)`).join(', ')}`);
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

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`${flag} must be a positive whole number, got "${text}"`);
    process.exit(2);
  }
  return n;
}
