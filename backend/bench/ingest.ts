import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { Pool } from 'undici';
import { startBenchServer } from './bench-server.js';
import { runClosedLoop, type LoadResult } from './closed-loop.js';

const HELP = `Usage: npm run bench:ingest -- [options]

Starts the local stack (embedded default) in its own process, signs
up a closed set of simulated devices, then measures:
  1. token registrations/s with p50/p99 latency (POST /v1/tokens), closed loop;
  2. contacts/s end to end: POST /v1/contacts (batches of 50) → queue → consumer → stored,
     timed from the first upload until the queue is drained.
Prints the figures and writes a JSON result.

  --devices N        simulated devices (default 500)
  --connections N    concurrent connections (default 32)
  --duration S       seconds per phase (default 10)
  --synchronous M    SQLITE_SYNCHRONOUS for the stack: FULL (default) or NORMAL
  --out DIR          where to write the JSON result (default bench-results)
  --help             show this help

Targets (2-core machine): ≥ 4,000 registrations/s with p99 < 50 ms; ≥ 25,000 contacts/s.`;

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '500' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '10' },
    synchronous: { type: 'string', default: 'FULL' },
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
const OFFICIAL = '+15550009999';

const server = await startBenchServer({ OFFICIAL_PHONE_NUMBERS: OFFICIAL, TOKEN_GRACE_MINUTES: '60', SQLITE_SYNCHRONOUS: synchronous });
const pool = new Pool(server.url, { connections, pipelining: 1 });
try {
  console.log(`local stack at ${server.url}; signing up ${deviceCount} devices…`);
  const official = await signIn(OFFICIAL);
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
  const bodyFor = (i: number) => {
    const observations = Array.from({ length: 50 }, (_, j) => {
      const seen = devices[(i * 50 + j + 1) % deviceCount]!;
      return { token: seen.token, firstSeen: new Date(now - 30 * 60_000).toISOString(), lastSeen: new Date(now - 60_000).toISOString(), rssi: -60 };
    });
    return JSON.stringify({ batchId: randomUUID(), observations });
  };
  const uploadStarted = performance.now();
  const uploads = await phase('contact uploads', (bar) =>
    runClosedLoop({
      pool,
      connections,
      durationMs,
      expectStatus: 202,
      next: (i) => ({ path: '/v1/contacts', body: bodyFor(i), headers: headers(devices[i % deviceCount]!.auth) }),
      onProgress: (n) => bar.update(n),
    }),
  );
  const acceptedObservations = (uploads.statuses['202'] ?? 0) * 50;
  const stats = await waitForDrain(official);
  const endToEndSeconds = (performance.now() - uploadStarted) / 1000;
  const contactsPerSecond = stats.observationsProcessed / endToEndSeconds;

  const result = {
    benchmark: 'ingest',
    at: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    settings: { devices: deviceCount, connections, durationSeconds: durationMs / 1000, sqliteSynchronous: synchronous },
    registrations: { ...registrations, target: { ratePerSecond: 4000, p99Ms: 50 } },
    contacts: {
      uploadRequests: uploads,
      acceptedObservations,
      processedObservations: stats.observationsProcessed,
      contactsStored: stats.contactsStored,
      deadLettered: stats.queue.deadLettered,
      endToEndSeconds,
      contactsPerSecond,
      target: { contactsPerSecond: 25_000 },
    },
  };
  console.log('');
  console.log(`token registrations: ${registrations.ratePerSecond.toFixed(0)}/s  p50 ${registrations.latencyMs.p50} ms  p99 ${registrations.latencyMs.p99} ms  errors ${registrations.errors}`);
  console.log(`contact uploads:     ${uploads.ratePerSecond.toFixed(0)} batches/s accepted (${(uploads.ratePerSecond * 50).toFixed(0)} observations/s)  p99 ${uploads.latencyMs.p99} ms  errors ${uploads.errors}`);
  console.log(`end to end:          ${contactsPerSecond.toFixed(0)} contacts/s (${stats.observationsProcessed} observations stored as ${stats.contactsStored} contacts in ${endToEndSeconds.toFixed(1)} s)`);
  mkdirSync(values.out, { recursive: true });
  const file = join(values.out, `ingest-${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`result: ${file}`);
} finally {
  await pool.close();
  await server.stop();
}

async function phase(name: string, run: (bar: SingleBar) => Promise<LoadResult>): Promise<LoadResult> {
  const bar = new SingleBar({ format: `${name.padEnd(20)} {value} requests | {duration}s`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
  bar.start(0, 0);
  bar.setTotal(Number.MAX_SAFE_INTEGER);
  const result = await run(bar);
  bar.stop();
  return result;
}

async function waitForDrain(officialToken: string) {
  for (;;) {
    const stats = JSON.parse(await get('/v1/admin/stats', `Bearer ${officialToken}`)) as {
      queue: { backlog: number; inFlight: number; deadLettered: number };
      observationsProcessed: number;
      contactsStored: number;
    };
    if (stats.queue.backlog === 0 && stats.queue.inFlight === 0) return stats;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function signIn(phoneNumber: string): Promise<string> {
  const challenge = JSON.parse(await post('/v1/auth/sms', JSON.stringify({ phoneNumber }))) as { challengeId: string; devCode: string };
  const verified = JSON.parse(await post('/v1/auth/verify', JSON.stringify({ challengeId: challenge.challengeId, code: challenge.devCode }))) as {
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
