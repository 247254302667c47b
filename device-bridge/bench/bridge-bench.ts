/**
 * npm run bench:bridge — advertisement reports per second through decode → cache → batch on one
 * core, resident memory with 100,000 distinct tokens in the cache, relayed batches per second
 * through the GATT path on the virtual controllers, and the dedicated device model's memory with
 * a full store. Prints a table and writes bench-results/bridge-bench.json.
 * Targets: ≥ 100,000 reports/s, ≤ 64 MB RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { buildPayloads, runThroughput } from './pipeline.js';
import { relayThroughput } from './relay-throughput.js';

const here = dirname(fileURLToPath(import.meta.url));

const HELP = `npm run bench:bridge: the device bridge's benchmark, on this machine.

Measures, and prints with the load average they were taken at:
  - advertisement reports per second through decode → cache → batch on one core (target ≥ 100,000/s),
    in a crowd (2,000 devices in range, churning) and with every token new;
  - resident memory with 100,000 distinct tokens in the cache (target ≤ 64 MB), in a plain node process;
  - relayed batches per second over GATT between real noble and bleno on virtual HCI controllers;
  - the dedicated device model's memory with a full relay store.

Writes bench-results/bridge-bench.json. Takes a few minutes; needs python3 (the virtual controllers).
No options.

Usage: npm run bench:bridge [-- --help]`;

try {
  if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true }).values.help) {
    console.log(HELP);
    process.exit(0);
  }
} catch (error) {
  console.error(`bench:bridge: ${(error as Error).message} (--help says what it does)`);
  process.exit(2);
}

function throughputScenarios() {
  const payloads = buildPayloads(60_000);
  const results = [];
  for (const scenario of [
    // A busy place: 2,000 devices in range, each heard ~10 times per second, slowly replaced.
    { name: 'crowd (2,000 in range, churn)', reports: 3_000_000, active: 2_000, churnEvery: 20_000, churnBy: 200 },
    // Worst case for the cache: every report carries a token not seen before.
    { name: 'all distinct tokens', reports: 50_000, active: 1, churnEvery: 1, churnBy: 1 },
  ]) {
    runThroughput(payloads, { ...scenario, reports: Math.min(scenario.reports, 200_000) }); // warm-up (JIT)
    results.push({ name: scenario.name, ...runThroughput(payloads, scenario) });
  }
  return results;
}

/**
 * Runs memory-probe.ts in a fresh plain `node --expose-gc`, bundled by esbuild (the TypeScript
 * compiler tsx itself uses): tsx's loader thread alone adds ~35 MB of RSS that a deployed bridge
 * would not carry. Falls back to tsx if esbuild cannot be loaded.
 */
async function memoryProbe(file = 'memory-probe.ts', args: string[] = []): Promise<Record<string, number>> {
  const probe = join(here, file);
  // Inside the project, so that the bundle's external packages resolve from node_modules.
  const bundled = join(here, '..', '..', 'node_modules', '.cache', 'bridge-bench', `${file}-${process.pid}.mjs`);
  mkdirSync(dirname(bundled), { recursive: true });
  let nodeArgs = ['--expose-gc', '--import', 'tsx', probe, ...args];
  let runtime = 'node + tsx loader';
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({ entryPoints: [probe], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: bundled, logLevel: 'silent' });
    nodeArgs = ['--expose-gc', bundled, ...args];
    runtime = 'node (esbuild bundle)';
  } catch {
    // keep the tsx fallback
  }
  const res = spawnSync(process.execPath, nodeArgs, { encoding: 'utf8', cwd: join(here, '..', '..') });
  rmSync(bundled, { force: true });
  if (res.status !== 0) throw new Error(`memory probe failed: ${res.stderr}`);
  return { ...(JSON.parse(res.stdout.trim().split('\n').at(-1)!) as Record<string, number>), runtime } as unknown as Record<string, number>;
}

const RELAY_BATCHES = 200;

async function relayFigure() {
  const bar = new SingleBar({ format: 'relay over GATT [{bar}] {value}/{total} batches', hideCursor: true, stream: process.stderr });
  bar.start(RELAY_BATCHES, 0);
  try {
    return await relayThroughput(RELAY_BATCHES, (done) => bar.update(done));
  } finally {
    bar.stop();
  }
}

const throughput = throughputScenarios();
const memory = await memoryProbe();
const relay = await relayFigure();
const deviceMemory = await memoryProbe('device-memory-probe.ts');
const result = {
  benchmark: 'bridge decode → cache → batch',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  throughput,
  memory,
  relay,
  deviceMemory,
  targets: { reportsPerSecond: 100_000, rssMbWith100kTokens: 64 },
  pass: {
    throughput: throughput.every((t) => t.reportsPerSecond >= 100_000),
    memory: (memory.rssMb ?? Infinity) <= 64,
  },
};

console.log(`load average ${result.loadAverage.join(' ')} on ${result.cores} cores (figures on a busy machine are lower)`);
for (const t of throughput) {
  console.log(`${t.name.padEnd(32)} ${t.reportsPerSecond.toLocaleString('en-US').padStart(12)} reports/s  (${t.reports.toLocaleString('en-US')} reports, ${t.batchesSealed} batches sealed, ${t.elapsedMs} ms)`);
}
console.log(`memory with ${memory.tokens?.toLocaleString('en-US')} tokens cached: RSS ${memory.rssMb} MB [${memory.runtime}] (baseline ${memory.baselineRssMb} MB, heap +${memory.heapDeltaMb} MB, ${memory.bytesPerEntry} B/entry)`);
console.log(
  `relay over GATT (virtual controllers): ${relay.batchesPerSecond} batches/s end to end, ${relay.gattBatchesPerSecond} batches/s GATT only (${relay.batchesAccepted} batches of 50 in ${relay.sessions} connections, ${relay.elapsedMs} ms, backend ${relay.backendMs} ms, ${relay.aclFragmentsFromDevice} ACL fragments from the device)`,
);
console.log(
  `dedicated device with a full store (${deviceMemory.heldBatches} batches, ${deviceMemory.droppedBatches} dropped): ${deviceMemory.heldBytes} B of batches, store file ${deviceMemory.storeFileKb} KB; model RSS ${deviceMemory.rssMb} MB [${deviceMemory.runtime}] (baseline ${deviceMemory.baselineRssMb} MB, heap +${deviceMemory.heapDeltaMb} MB)`,
);
console.log(`targets: ≥100,000 reports/s ${result.pass.throughput ? 'PASS' : 'FAIL'}, ≤64 MB RSS ${result.pass.memory ? 'PASS' : 'FAIL'}`);
const out = join(here, '..', '..', 'bench-results', 'bridge-bench.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
