import { cpus } from 'node:os';
import autocannon from 'autocannon';
import type { EndpointResult } from '../src/metrics/endpoint-stats.js';
import { runGenerator } from './generator-run.js';

export interface CompareSettings {
  durationMs: number;
  rounds: number;
  connections: number;
  /** The generator's offered rate as a multiple of autocannon's warm-up rate. */
  headroom: number;
}

interface ToolRun {
  requestsPerSecond: number;
  /** CPU time of this process per completed request: unlike rates, not skewed by other work on the machine. */
  cpuMicrosPerRequest: number;
}

const cpuMicros = (usage: NodeJS.CpuUsage): number => usage.user + usage.system;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Runs autocannon and the generator against `url` in alternating rounds and compares their medians. */
export async function compareRounds(url: string, s: CompareSettings) {
  const { connections } = s;
  // Warms the server and the JIT, and sets the rate to offer the open-loop generator.
  const warmUp = await autocannon({ url, connections, duration: 2 });
  const offered = (warmUp.requests.total / warmUp.duration) * s.headroom;
  const autocannonRuns: (ToolRun & { total: number; non2xx: number; errors: number; p99Ms: number })[] = [];
  const generatorRuns: (ToolRun & { result: EndpointResult })[] = [];

  const runAutocannon = async () => {
    const cpu = process.cpuUsage();
    const r = await autocannon({ url, connections, duration: s.durationMs / 1_000 });
    autocannonRuns.push({
      requestsPerSecond: r.requests.total / r.duration,
      cpuMicrosPerRequest: cpuMicros(process.cpuUsage(cpu)) / r.requests.total,
      total: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
      p99Ms: r.latency.p99,
    });
  };
  const runOurs = async () => {
    const cpu = process.cpuUsage();
    const result = await runGenerator(url, offered, s.durationMs, connections);
    generatorRuns.push({ requestsPerSecond: result.achievedRate, cpuMicrosPerRequest: cpuMicros(process.cpuUsage(cpu)) / result.completed, result });
  };
  for (let round = 0; round < s.rounds; round++) {
    // Alternate which tool goes first, so neither always inherits the other's leftovers.
    for (const run of round % 2 === 0 ? [runAutocannon, runOurs] : [runOurs, runAutocannon]) await run();
  }

  const autocannonRate = median(autocannonRuns.map((r) => r.requestsPerSecond));
  const generatorRate = median(generatorRuns.map((r) => r.requestsPerSecond));
  const ratio = generatorRate / autocannonRate;
  return {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    durationSeconds: s.durationMs / 1_000,
    rounds: s.rounds,
    connections,
    autocannon: {
      medianRequestsPerSecond: autocannonRate,
      medianCpuMicrosPerRequest: median(autocannonRuns.map((r) => r.cpuMicrosPerRequest)),
      runs: autocannonRuns,
    },
    generator: {
      offeredPerSecond: offered,
      medianRequestsPerSecond: generatorRate,
      medianCpuMicrosPerRequest: median(generatorRuns.map((r) => r.cpuMicrosPerRequest)),
      runs: generatorRuns.map(({ requestsPerSecond, cpuMicrosPerRequest, result }) => ({
        requestsPerSecond,
        cpuMicrosPerRequest,
        completed: result.completed,
        failed: result.failed,
        dropped: result.dropped,
        p99MsFromScheduledTime: result.latencyMs.p99,
      })),
    },
    ratio,
    target: 0.8,
    pass: ratio >= 0.8,
  };
}

export type BenchResult = Awaited<ReturnType<typeof compareRounds>>;
