import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import type { EndpointResult } from '../src/metrics/endpoint-stats.js';
import { runGenerator } from './generator-run.js';

export interface CompareSettings {
  durationMs: number;
  /** Paired runs: one autocannon run and one generator run each, in alternating order. */
  pairs: number;
  connections: number;
  /** The generator's offered rate as a multiple of the fastest autocannon rate so far, so it always runs saturated. */
  headroom: number;
  onPair?: (pair: Pair, index: number) => void;
}

/** The targets of issue 14, as medians of the pairs' ratios. */
export const TARGET = { rateRatio: 0.9, cpuRatio: 1.2 } as const;

interface ToolRun {
  requestsPerSecond: number;
  /** CPU time of this process per completed request: unlike rates, little skewed by other work on the machine. */
  cpuMicrosPerRequest: number;
}

export interface Pair {
  autocannon: ToolRun & { total: number; non2xx: number; errors: number; p99Ms: number };
  generator: ToolRun & { offeredPerSecond: number; completed: number; failed: number; dropped: number; p99MsFromScheduledTime: number };
  /** generator ÷ autocannon */
  rateRatio: number;
  cpuRatio: number;
  autocannonFirst: boolean;
  loadAverage: number;
}

const cpuMicros = (usage: NodeJS.CpuUsage): number => usage.user + usage.system;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const spread = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

/**
 * Runs autocannon (closed loop, its maximum rate) and the generator (open loop, offered more than it can
 * send) against `url` in pairs, and compares the medians of the pairs' ratios: each pair ran in the same
 * few seconds, so a neighbour's load on the shared machine falls on both of its runs.
 */
export async function compareRounds(url: string, s: CompareSettings) {
  const { connections } = s;
  const warmUp = await autocannon({ url, connections, duration: 2 });
  let fastest = warmUp.requests.total / warmUp.duration;
  await runGenerator(url, fastest * s.headroom, 2_000, connections);

  const runAutocannon = async (): Promise<Pair['autocannon']> => {
    const cpu = process.cpuUsage();
    const r = await autocannon({ url, connections, duration: s.durationMs / 1_000 });
    const run = {
      requestsPerSecond: r.requests.total / r.duration,
      cpuMicrosPerRequest: cpuMicros(process.cpuUsage(cpu)) / r.requests.total,
      total: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
      p99Ms: r.latency.p99,
    };
    fastest = Math.max(fastest, run.requestsPerSecond);
    return run;
  };
  const runOurs = async (): Promise<Pair['generator']> => {
    const offeredPerSecond = fastest * s.headroom;
    const cpu = process.cpuUsage();
    const result: EndpointResult = await runGenerator(url, offeredPerSecond, s.durationMs, connections);
    return {
      requestsPerSecond: result.achievedRate,
      cpuMicrosPerRequest: cpuMicros(process.cpuUsage(cpu)) / result.completed,
      offeredPerSecond,
      completed: result.completed,
      failed: result.failed,
      dropped: result.dropped,
      p99MsFromScheduledTime: result.latencyMs.p99,
    };
  };

  const pairs: Pair[] = [];
  for (let i = 0; i < s.pairs; i++) {
    // Alternate which tool goes first, so neither always inherits the other's leftovers.
    const autocannonFirst = i % 2 === 0;
    const loadAverage = loadavg()[0]!;
    const first = autocannonFirst ? await runAutocannon() : await runOurs();
    const second = autocannonFirst ? await runOurs() : await runAutocannon();
    const [ac, ours] = (autocannonFirst ? [first, second] : [second, first]) as [Pair['autocannon'], Pair['generator']];
    const pair = {
      autocannon: ac,
      generator: ours,
      rateRatio: ours.requestsPerSecond / ac.requestsPerSecond,
      cpuRatio: ours.cpuMicrosPerRequest / ac.cpuMicrosPerRequest,
      autocannonFirst,
      loadAverage,
    };
    pairs.push(pair);
    s.onPair?.(pair, i);
  }

  const rateRatio = spread(pairs.map((p) => p.rateRatio));
  const cpuRatio = spread(pairs.map((p) => p.cpuRatio));
  return {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadAverageAtStart: pairs[0]?.loadAverage },
    durationSeconds: s.durationMs / 1_000,
    pairs: pairs.length,
    connections,
    headroom: s.headroom,
    autocannon: {
      requestsPerSecond: spread(pairs.map((p) => p.autocannon.requestsPerSecond)),
      cpuMicrosPerRequest: spread(pairs.map((p) => p.autocannon.cpuMicrosPerRequest)),
    },
    generator: {
      requestsPerSecond: spread(pairs.map((p) => p.generator.requestsPerSecond)),
      cpuMicrosPerRequest: spread(pairs.map((p) => p.generator.cpuMicrosPerRequest)),
    },
    rateRatio,
    cpuRatio,
    target: TARGET,
    pass: rateRatio.median >= TARGET.rateRatio && cpuRatio.median <= TARGET.cpuRatio,
    runs: pairs,
  };
}

export type BenchResult = Awaited<ReturnType<typeof compareRounds>>;
