import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { durationSchema } from '../../shared/duration.js';
import { compareRounds, type BenchResult } from './compare-rounds.js';

const HELP = `Usage: npm run bench:loadgen -- [--duration 5s] [--rounds 3] [--connections 50] [--headroom 1.5] [--out bench-results]

Starts a trivial HTTP endpoint on 127.0.0.1 (in a child process) and measures the maximum request rate of
autocannon and of this project's open-loop generator against it, in alternating rounds (the machine may be
shared, so each tool's median is compared). The generator is offered headroom × autocannon's warm-up rate.
Prints both rates and their ratio (target: generator ≥ 80% of autocannon) and writes a JSON result to --out.

  --duration     length of each run (default 5s; at most 60s)
  --rounds       runs per tool (default 3, at most 10)
  --connections  concurrent connections for both tools (default 50)
  --headroom     generator's offered rate as a multiple of autocannon's warm-up rate (default 1.5)
  --out          directory for the JSON result (default bench-results)
  --help         show this help
`;

const Options = z.object({
  duration: durationSchema({ minMs: 1_000, maxMs: 60_000 }),
  rounds: z.coerce.number().int().min(1).max(10),
  connections: z.coerce.number().int().min(1).max(1_000),
  headroom: z.coerce.number().min(1).max(10),
  out: z.string().min(1),
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5s' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      headroom: { type: 'string', default: '1.5' },
      out: { type: 'string', default: 'bench-results' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const parsed = Options.safeParse(values);
  if (!parsed.success) {
    process.stderr.write(`Invalid options:\n${parsed.error.issues.map((i) => `  --${String(i.path[0])}: ${i.message}`).join('\n')}\n`);
    return 2;
  }
  const { duration, rounds, connections, headroom, out } = parsed.data;
  const server = fork(fileURLToPath(new URL('./trivial-server.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.once('message', (m) => resolve((m as { port: number }).port));
      server.once('error', reject);
    });
    const result = await compareRounds(`http://127.0.0.1:${port}/`, { durationMs: duration, rounds, connections, headroom });
    mkdirSync(out, { recursive: true });
    const file = join(out, `loadgen-bench-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${summary(result)}\nwritten:    ${file}\n`);
    return result.pass ? 0 : 1;
  } finally {
    server.disconnect();
  }
}

function summary(r: BenchResult): string {
  const rates = (runs: { requestsPerSecond: number }[]) => runs.map((x) => x.requestsPerSecond.toFixed(0)).join(', ');
  return [
    `autocannon: ${r.autocannon.medianRequestsPerSecond.toFixed(0)} req/s median of ${r.rounds} (${rates(r.autocannon.runs)}; ${r.connections} connections, ${r.durationSeconds}s each)`,
    `generator:  ${r.generator.medianRequestsPerSecond.toFixed(0)} req/s median of ${r.rounds} (${rates(r.generator.runs)}; offered ${r.generator.offeredPerSecond.toFixed(0)}/s, excess dropped and counted)`,
    `ratio:      ${(r.ratio * 100).toFixed(1)}% of autocannon (target ≥ 80%) — ${r.pass ? 'PASS' : 'FAIL'}`,
    `CPU/request: autocannon ${r.autocannon.medianCpuMicrosPerRequest.toFixed(1)} µs, generator ${r.generator.medianCpuMicrosPerRequest.toFixed(1)} µs (this process only)`,
  ].join('\n');
}

process.exitCode = await main();
