import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { ANALYTICS_DATABASE_FILE, DATABASE_FILE } from '../../src/composition/embedded.js';
import { startBenchServer } from '../bench-server.js';

export interface LatencySummary {
  calls: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface NotificationFigures {
  latencyMs: LatencySummary;
  warmupCalls: number;
  failures: number;
  /** Warnings in an answer, on average: what each call read and returned. */
  meanWarnings: number;
}

export interface DiskFigures {
  databaseBytes: number;
  walBytes: number;
  /** The analytics store's file and WAL, and the shared-memory index: not contacts, but on the disk too. */
  otherBytes: number;
}

/**
 * GET /v1/notifications against npm start's own server on the store (its own process, as in
 * production), one call at a time so that each latency is one request's, round-robin over
 * `accessTokens`. The files' sizes are read while the server holds the store open, WAL and all.
 */
export async function measureNotifications(
  dataDir: string,
  env: Record<string, string>,
  accessTokens: readonly string[],
  calls: number,
): Promise<{ notifications: NotificationFigures; disk: DiskFigures }> {
  const server = await startBenchServer(env, { dataDir });
  const pool = new Pool(server.url, { connections: 1, pipelining: 1 });
  try {
    const warmupCalls = Math.min(50, calls);
    let failures = 0;
    let warnings = 0;
    const call = async (i: number): Promise<number> => {
      const sent = performance.now();
      const response = await pool.request({ method: 'GET', path: '/v1/notifications', headers: { authorization: `Bearer ${accessTokens[i % accessTokens.length]}` } });
      const body = await response.body.text();
      const ms = performance.now() - sent;
      if (response.statusCode !== 200) failures++;
      else warnings += (JSON.parse(body) as { notifications: unknown[] }).notifications.length;
      return ms;
    };
    for (let i = 0; i < warmupCalls; i++) await call(i);
    failures = 0;
    warnings = 0;
    const latencies: number[] = [];
    for (let i = 0; i < calls; i++) latencies.push(await call(i));
    const disk = diskUse(dataDir);
    return { notifications: { latencyMs: latencySummary(latencies), warmupCalls, failures, meanWarnings: warnings / calls }, disk };
  } finally {
    await pool.close();
    await server.stop();
  }
}

export function diskUse(dataDir: string): DiskFigures {
  const size = (file: string) => {
    try {
      return statSync(join(dataDir, file)).size;
    } catch {
      return 0;
    }
  };
  return {
    databaseBytes: size(DATABASE_FILE),
    walBytes: size(`${DATABASE_FILE}-wal`),
    otherBytes: size(`${DATABASE_FILE}-shm`) + size(ANALYTICS_DATABASE_FILE) + size(`${ANALYTICS_DATABASE_FILE}-wal`) + size(`${ANALYTICS_DATABASE_FILE}-shm`),
  };
}

/** Nearest-rank percentiles, in the input's unit, rounded to microseconds. */
export function latencySummary(values: readonly number[]): LatencySummary {
  if (values.length === 0) throw new RangeError('no latencies to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round3(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!);
  return { calls: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: round3(sorted[sorted.length - 1]!) };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
