import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inheritedEnv } from '../../support/child-env.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => relative(ROOT, join(import.meta.dirname, 'fixtures', name));
const SEARCH_INGEST = fixture('search-ingest-2026-12-02T13-17-55-780Z.json');
const INGEST = fixture('ingest-2026-12-02T13-22-28-762Z.json');
const COLD_START = fixture('cold-start-2026-12-02T13-29-11.493Z.json');
const atOf = (file: string) => (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { at: string }).at;

/** `npm run -s capacity -- …args` as a user types it. */
function capacity(...args: string[]) {
  const r = spawnSync('npm', ['run', '-s', 'capacity', '--', ...args], { cwd: ROOT, env: inheritedEnv(), encoding: 'utf8', timeout: 90_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run capacity -- --measured', () => {
  it('says which inputs came from which file and date, what they replaced, and checks the search nodes', { timeout: 120_000 }, () => {
    const r = capacity('--measured', `${SEARCH_INGEST},${INGEST}`, '--measured', COLD_START);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Measured inputs \(--measured\)/);
    for (const file of [SEARCH_INGEST, INGEST, COLD_START]) expect(r.stdout).toContain(`from ${file}, measured ${atOf(file)}`);
    expect(r.stdout).toMatch(/consumer: 10 messages × 50 observations = 500 contacts × [\d.]+ µs = [\d.]+ ms CPU ÷ 0\.289 vCPU \(512 MB\) = [\d.]+ ms per invocation \(assumed 250 ms\)/);
    expect(r.stdout).toMatch(/Lambda GB-seconds per 1,000 contacts: consumer [\d.]+, upload handler [\d.]+, together [\d.]+/);
    expect(r.stdout).toMatch(/search CPU at the peak: [\d.]+ vCPUs needed \(111,111 contacts\/s × [\d.]+ µs measured × 2 copies\), 96 vCPUs configured \(12 × r7g\.2xlarge\.search, 8 each\) \((enough|NOT enough)/);
    expect(r.stdout).toMatch(/process-contact-batches: [\d,]+ ms CPU \([\d,]+ ms wall on the benchmark's machine\) → [\d,]+ ms at 1024 MB = [\d.]+ GB-s per cold start/);
    expect(r.stdout).toMatch(/--consumer-lambda-duration-ms +[\d.,]+ \(measured\) +[\d.,]+ \(measured\) +[\d.,]+ \(measured\)/);
    expect(r.stdout).toMatch(/Still assumed:\n {4}notification polls and infection reports/);
  });

  it('keeps an assumption given as a flag, and writes the measurements into --json', { timeout: 120_000 }, () => {
    const r = capacity('--measured', INGEST, '--consumer-lambda-duration-ms', '123', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { profiles: { assumptions: Record<string, number>; measured?: { keptByFlag: string[] } }[]; measured: { registrationCpu: { file: string } } };
    expect(out.profiles.map((p) => p.assumptions.consumerLambdaDurationMs)).toEqual([123, 123, 123]);
    expect(out.profiles.every((p) => p.measured?.keptByFlag.includes('consumerLambdaDurationMs'))).toBe(true);
    expect(out.profiles[0]!.assumptions.apiLambdaDurationMs).not.toBe(30);
    expect(out.measured.registrationCpu.file).toBe(INGEST);
  });

  it('refuses an unrelated file by name with exit status 2, and --help documents the flag', { timeout: 120_000 }, () => {
    const r = capacity('--measured', 'package.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('--measured: package.json: not a benchmark result the capacity model reads (expected the JSON written by npm run bench:ingest, bench:search-ingest or bench:cold-start, with its "benchmark" field)\n');
    expect(capacity('--help').stdout).toMatch(/--measured FILES {4}benchmark results/);
  });
});
