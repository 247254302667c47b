import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Device } from '../src/domain/device.js';
import { Random } from '../../loadtest/demo/town/random.js';
import { storedContactsPerUserDay, usersFor } from './scale/design-population.js';
import { fillTown, registerDevices } from './scale/fill-store.js';
import { measureInserts } from './scale/measure-inserts.js';
import { measureNotifications } from './scale/measure-notifications.js';
import { measureTracing, type TracingFigures } from './scale/measure-tracing.js';
import { StatementCounter } from './statement-counter.js';
import { HELP, parseScaleArgs } from './scale/scale-options.js';
import { limitSentence, scaleHtml, scaleTable } from './scale/scale-report.js';
import type { LevelResult, ScaleResult } from './scale/scale-result.js';
import { benchEnv, benchPhone, countContacts, openServices, signIn, type SignedIn } from './scale/scale-services.js';
import { diskAllows, sizingLimit } from './scale/sizing-limit.js';
import { townEncounterCount } from './scale/town-encounters.js';

const parsed = parseScaleArgs(process.argv.slice(2));
if ('help' in parsed) {
  console.log(HELP);
  process.exit(0);
}
if ('error' in parsed) {
  console.error(parsed.error);
  process.exit(2);
}
const options = parsed.options;
const CONTACTS_PER_CASE = 100;
/** Until the first level is measured: what a contact costs on disk, roughly, to check the disk first. */
const FIRST_GUESS_BYTES_PER_CONTACT = 400;
const DAY_MS = 86_400_000;
const INSERT_DEVICES = 5000;
/** Timed cases per level (the median is the figure), and one more on a counting connection. */
const TIMED_CASES = 3;

const dataDir = mkdtempSync(join(options.dataDir ?? tmpdir(), 'proxitrace-scale-'));
const env = benchEnv(dataDir);
const startedAt = new Date();
const loadAtStart = loadavg();
console.log(`bench:scale on ${dataDir}: levels ${options.levels.map((l) => l.toLocaleString('en-US')).join(', ')} contacts, ${options.days} contact days`);

const levels: LevelResult[] = [];
const skipped: ScaleResult['skipped'] = [];
const townDevices: Device[] = [];
let probes: Device[] = [];
let stored = 0;
let casesSoFar = 0;
try {
  for (const level of options.levels) {
    const bytesPerContact = levels.at(-1)?.disk.bytesPerContact ?? FIRST_GUESS_BYTES_PER_CONTACT;
    const fs = statfsSync(dataDir);
    const disk = diskAllows(stored, level, bytesPerContact, fs.bavail * fs.bsize);
    if (!disk.ok) {
      const reason = `needs ~${(disk.neededBytes / 1e9).toFixed(1)} GB more, ${((fs.bavail * fs.bsize) / 1e9).toFixed(1)} GB free`;
      console.log(`skipping ${level.toLocaleString('en-US')} and beyond: ${reason}`);
      skipped.push(...options.levels.filter((l) => l >= level).map((l) => ({ level: l, reason })));
      break;
    }
    const fill = await fillLevel(level);
    levels.push(await measureLevel(level, fill));
    console.log(`\n${scaleTable(resultSoFar())}\n`);
  }
  const result = resultSoFar();
  mkdirSync(options.out, { recursive: true });
  const base = join(options.out, `scale-${result.at.replace(/[:.]/g, '-')}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${base}.html`, scaleHtml(result));
  console.log(limitSentence(result.limit));
  console.log(`result: ${base}.json\npage:   ${base}.html`);
} finally {
  if (options.keep) console.log(`store kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
}

/** Adds a town of new users whose days of contacts bring the store to `level`. */
async function fillLevel(level: number): Promise<LevelResult['fill'] & { countSeconds: number }> {
  const clock = { now: new Date() };
  const services = await openServices(dataDir, { clock: () => clock.now, fill: { cacheMb: options.fillCacheMb } });
  try {
    const users = Math.round(usersFor(level - stored, options.days));
    if (probes.length === 0) {
      if (users < CONTACTS_PER_CASE + 2) throw new Error(`the first level holds ${users} users: at least ${CONTACTS_PER_CASE + 2} are needed for a case with ${CONTACTS_PER_CASE} contacts; raise it or lower --days`);
      probes = (await sequentially(CONTACTS_PER_CASE, (i) => signIn(services, benchPhone(i)))).map((s) => s.device);
    }
    const isFirst = townDevices.length === 0;
    const town = [...(isFirst ? probes : []), ...(await registerDevices(services, users - (isFirst ? probes.length : 0), clock.now))];
    townDevices.push(...town);
    const until = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const townOptions = {
      devices: town.map((d) => d.number),
      days: options.days,
      until,
      windowMinutes: services.config.tokenTtlMinutes,
      encountersPerDevicePerDay: storedContactsPerUserDay(),
      activeHours: { from: 8, to: 20 },
      seed: options.seed + levels.length,
    };
    const encounters = townEncounterCount(townOptions);
    const bar = new SingleBar(
      { format: `fill to ${level.toLocaleString('en-US')}  {bar} {percentage}% | {value}/{total} contacts | {rate}/s | ETA {eta_formatted}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
      Presets.shades_classic,
    );
    bar.start(encounters, 0, { rate: '0' });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const filled = await fillTown(services, clock, townOptions, {
      contactsPerTransaction: 200_000,
      onProgress: (done) => {
        bar.update(done, { rate: Math.round(done / ((performance.now() - started) / 1000)).toLocaleString('en-US') });
        if (done === encounters) bar.stop();
      },
    });
    bar.stop();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(`filled in ${filled.seconds.toFixed(0)} s (${cpuSeconds.toFixed(0)} s of CPU), of which ${filled.indexBuildSeconds.toFixed(0)} s building the contacts' indexes`);
    const countStarted = performance.now();
    const contactsAdded = countContacts(services) - stored;
    const countSeconds = (performance.now() - countStarted) / 1000;
    stored += contactsAdded;
    return { contactsAdded, encounters: filled.encounters, seconds: filled.seconds, indexBuildSeconds: filled.indexBuildSeconds, cpuSeconds, contactsPerSecond: contactsAdded / filled.seconds, countSeconds };
  } finally {
    await services.close();
  }
}

/** Measures at the size the fill left (`stored`); what the measurements add joins the store for the next level. */
async function measureLevel(level: number, { countSeconds, ...fill }: LevelResult['fill'] & { countSeconds: number }): Promise<LevelResult> {
  const measuredAt = stored;
  const services = await openServices(dataDir);
  let signedIn: SignedIn[];
  let inserts;
  let tracingRuns: TracingFigures[];
  try {
    signedIn = await sequentially(CONTACTS_PER_CASE, (i) => signIn(services, benchPhone(i)));
    const probeNumbers = new Set(probes.map((p) => p.number));
    const others = townDevices.filter((d) => !probeNumbers.has(d.number));
    console.log(`${measuredAt.toLocaleString('en-US')} contacts stored (count(*) ${countSeconds.toFixed(1)} s); inserting ${options.uploads} uploads…`);
    // Shuffled per level, so that no pair of an earlier level's insert phase meets again in this one.
    const sample = Random.stream(options.seed, `inserts-${levels.length}`).shuffled(spread(others, INSERT_DEVICES));
    inserts = await measureInserts(services, sample, options.uploads);
    console.log(`  ${Math.round(inserts.contactsPerSecond)} new contacts/s; tracing ${TIMED_CASES} cases with ${CONTACTS_PER_CASE} contacts each…`);
    tracingRuns = [];
    for (let i = 0; i < TIMED_CASES; i++) {
      const index = await signIn(services, benchPhone(CONTACTS_PER_CASE + casesSoFar++));
      tracingRuns.push(await measureTracing(services, index.device, probes));
    }
  } finally {
    await services.close();
  }
  const counter = new StatementCounter();
  const counting = await openServices(dataDir, { onStatement: counter.onStatement });
  let tracingCounted;
  try {
    const index = await signIn(counting, benchPhone(CONTACTS_PER_CASE + casesSoFar++));
    tracingCounted = await measureTracing(counting, index.device, probes, counter);
  } finally {
    await counting.close();
  }
  const tracing = [...tracingRuns].sort((a, b) => a.seconds - b.seconds)[Math.floor(TIMED_CASES / 2)]!;
  console.log(`  ${tracingRuns.map((t) => t.seconds.toFixed(2)).join(', ')} s, ${tracingCounted.statements?.queries} queries; polling GET /v1/notifications…`);
  const { notifications, disk } = await measureNotifications(dataDir, env, signedIn.map((s) => s.accessToken), options.polls);
  stored += inserts.contactsInserted + (TIMED_CASES + 1) * CONTACTS_PER_CASE;
  return {
    level,
    storedContacts: measuredAt,
    devices: townDevices.length,
    usersForContacts: usersFor(measuredAt, options.days),
    fill,
    countSeconds,
    inserts,
    tracing,
    tracingSeconds: tracingRuns.map((t) => t.seconds),
    tracingCounted,
    notifications,
    disk: { ...disk, bytesPerContact: (disk.databaseBytes + disk.walBytes) / stored },
    loadAverage: loadavg(),
  };
}

function resultSoFar(): ScaleResult {
  return {
    benchmark: 'scale',
    at: startedAt.toISOString(),
    command: `npm run bench:scale -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cpus: cpus().length, node: process.version, memoryBytes: totalmem(), loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg() },
    settings: { levels: options.levels, days: options.days, uploads: options.uploads, polls: options.polls, seed: options.seed, fillCacheMb: options.fillCacheMb, contactsPerCase: CONTACTS_PER_CASE },
    levels,
    skipped,
    limit: sizingLimit(
      levels.map((l) => ({
        storedContacts: l.storedContacts,
        observationsPerSecond: l.inserts.observationsPerSecond,
        tracingSeconds: l.tracing.seconds,
        notificationsP99Ms: l.notifications.latencyMs.p99,
        bytesOnDisk: l.disk.databaseBytes + l.disk.walBytes,
      })),
      options.days,
    ),
  };
}

/** Every k-th of the devices, up to `count`: a sample across every town. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

async function sequentially<T>(count: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(await fn(i));
  return out;
}
