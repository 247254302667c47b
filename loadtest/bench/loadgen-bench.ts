import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { durationSchema } from '../../backend/src/config/duration.js';
import { TARGET, compareRounds, type BenchResult, type Pair } from './compare-rounds.js';

const HELP = `Usage: npm run bench:loadgen -- [--duration 5s] [--pairs 5] [--connections 50] [--headroom 1.5] [--out bench-results]

Checks that the load generator is not what limits a load test. Starts a trivial HTTP endpoint on 127.0.0.1
(in a child process, on its own core) and runs autocannon (closed loop, at its maximum rate) and this
project's open-loop generator (offered more than it can send; the excess is dropped and counted) against it
in pairs, alternating which goes first. Compares the medians of the pairs' ratios, because the machine may be
shared: the generator's rate must be ≥ ${TARGET.rateRatio * 100}% of autocannon's and its CPU per request ≤ ${TARGET.cpuRatio}× autocannon's.
Prints every pair and the verdict, and writes a JSON result to --out. Exit status 1 when a target is missed.

  --duration     length of each run (default 5s, 1s–60s)
  --pairs        paired runs (default 5, at most 15)
  --connections  concurrent connections for both tools (default 50)
  --headroom     generator's offered rate as a multiple of autocannon's fastest rate so far (default 1.5)
  --out          directory for the JSON result (default bench-results)
  --help         show this help
`;

const Options = z.object({
  duration: durationSchema({ min: 1_000, max: 60_000 }),
  pairs: z.coerce.number().int().min(1).max(15),
  connections: z.coerce.number().int().min(1).max(1_000),
  headroom: z.coerce.number().min(1).max(10),
  out: z.string().min(1),
});

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string', default: '5s' },
        pairs: { type: 'string', default: '5' },
        connections: { type: 'string', default: '50' },
        headroom: { type: 'string', default: '1.5' },
        out: { type: 'string', default: 'bench-results' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const parsed = Options.safeParse(values);
  if (!parsed.success) {
    process.stderr.write(`Invalid options:\n${parsed.error.issues.map((i) => `  --${String(i.path[0])}: ${i.message}`).join('\n')}\nRun with --help for usage.\n`);
    return 2;
  }
  const { duration, pairs, connections, headroom, out } = parsed.data;
  const server = fork(fileURLToPath(new URL('./trivial-server.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.once('message', (m) => resolve((m as { port: number }).port));
      server.once('error', reject);
    });
    process.stdout.write(`pair  first       autocannon req/s  µs/req   generator req/s  µs/req   rate ratio  CPU ratio  load avg\n`);
    const result = await compareRounds(`http://127.0.0.1:${port}/`, {
      durationMs: duration,
      pairs,
      connections,
      headroom,
      onPair: (pair, i) => process.stdout.write(`${pairLine(pair, i)}\n`),
    });
    mkdirSync(out, { recursive: true });
    const file = join(out, `loadgen-bench-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${summary(result)}\nwritten: ${file}\n`);
    return result.pass ? 0 : 1;
  } finally {
    server.disconnect();
  }
}

function pairLine(p: Pair, i: number): string {
  return [
    String(i + 1).padEnd(5),
    (p.autocannonFirst ? 'autocannon' : 'generator').padEnd(11),
    p.autocannon.requestsPerSecond.toFixed(0).padStart(17),
    p.autocannon.cpuMicrosPerRequest.toFixed(1).padStart(7),
    p.generator.requestsPerSecond.toFixed(0).padStart(18),
    p.generator.cpuMicrosPerRequest.toFixed(1).padStart(7),
    `${(p.rateRatio * 100).toFixed(1)}%`.padStart(12),
    `${p.cpuRatio.toFixed(2)}×`.padStart(10),
    p.loadAverage.toFixed(1).padStart(9),
  ].join(' ');
}

function summary(r: BenchResult): string {
  const range = (s: { median: number; min: number; max: number }, f: (v: number) => string) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const times = (v: number) => `${v.toFixed(2)}×`;
  const us = (v: number) => `${v.toFixed(1)} µs`;
  const rate = (v: number) => v.toFixed(0);
  return [
    `medians of ${r.pairs} pairs of ${r.durationSeconds} s runs, ${r.connections} connections (range in brackets):`,
    `  autocannon: ${range(r.autocannon.requestsPerSecond, rate)} req/s, ${range(r.autocannon.cpuMicrosPerRequest, us)} CPU per request`,
    `  generator:  ${range(r.generator.requestsPerSecond, rate)} req/s, ${range(r.generator.cpuMicrosPerRequest, us)} CPU per request`,
    `  rate:  generator ÷ autocannon ${range(r.rateRatio, pct)} (target ≥ ${pct(TARGET.rateRatio)}) — ${r.rateRatio.median >= TARGET.rateRatio ? 'PASS' : 'FAIL'}`,
    `  CPU:   generator ÷ autocannon ${range(r.cpuRatio, times)} (target ≤ ${times(TARGET.cpuRatio)}) — ${r.cpuRatio.median <= TARGET.cpuRatio ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

process.exitCode = await main(process.argv.slice(2));
