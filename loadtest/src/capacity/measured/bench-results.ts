import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';

/**
 * The JSON results of the benchmarks that measure the capacity model's inputs, as their code writes
 * them (backend/bench/ingest.ts, backend/bench/search-ingest.ts, infra/aws/bench/cold-start.ts).
 * Only the fields the model reads are checked; the rest passes through untouched.
 */
const count = z.number().int().nonnegative();
const seconds = z.number().nonnegative();

const ingestSchema = z.object({
  benchmark: z.literal('ingest'),
  at: z.iso.datetime(),
  settings: z.object({ backend: z.enum(['embedded', 'aws']) }),
  registrations: z.object({
    statuses: z.record(z.string(), count),
    // Written since the capacity model reads it; older results have no registration CPU.
    serverMicrosecondsPerRegistration: z.number().positive().nullable().optional(),
  }),
  contacts: z.object({
    processedObservations: count.positive(),
    cpuSeconds: z.record(z.string(), seconds).refine((c) => c.server !== undefined, 'no CPU seconds of the server process'),
    serverMicrosecondsPerContact: z.object({ mainThread: seconds, otherThreads: seconds }),
    workloadGenerated: z.object({ duplicateShare: z.number().min(0).max(1) }),
  }),
});

const searchIngestSchema = z.object({
  benchmark: z.literal('search-ingest'),
  at: z.iso.datetime(),
  store: z.object({
    observations: count.positive(),
    engineCpuSeconds: seconds,
    engineMicrosecondsPerContact: z.number().positive(),
    generatedDuplicateShare: z.number().min(0).max(1),
  }),
  perEngineCpuSecond: z.object({ share: z.number().positive() }),
});

const coldStartSchema = z.object({
  // Results written before the bench named itself have neither field: their date is in the file name.
  benchmark: z.literal('cold-start').optional(),
  at: z.iso.datetime().optional(),
  node: z.number().int(),
  results: z.array(z.object({ id: z.string(), initMs: z.object({ median: seconds }), initCpuMs: z.object({ median: seconds }) })).min(1),
});

export type IngestResult = z.infer<typeof ingestSchema>;
export type SearchIngestResult = z.infer<typeof searchIngestSchema>;
export type ColdStartResult = z.infer<typeof coldStartSchema>;

/** One result file, read and checked, with where it came from and when it was measured. */
export type BenchResult = { file: string; measuredAt: string } & (
  | { kind: 'ingest'; data: IngestResult }
  | { kind: 'search-ingest'; data: SearchIngestResult }
  | { kind: 'cold-start'; data: ColdStartResult }
);

export class BenchResultError extends Error {}

const SCHEMAS = { ingest: ingestSchema, 'search-ingest': searchIngestSchema, 'cold-start': coldStartSchema } as const;
const KNOWN = 'npm run bench:ingest, bench:search-ingest or bench:cold-start';

/** Checks one parsed JSON document; `file` names it in errors and in the model's output. */
export function parseBenchResult(file: string, json: unknown): BenchResult {
  const kind = benchmarkOf(json);
  if (!kind) {
    throw new BenchResultError(`${file}: not a benchmark result the capacity model reads (expected the JSON written by ${KNOWN}, with its "benchmark" field)`);
  }
  const parsed = SCHEMAS[kind].safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new BenchResultError(`${file}: a ${kind} result, but not one the capacity model can read:\n${problems}`);
  }
  const data = parsed.data;
  const measuredAt = 'at' in data && data.at ? data.at : dateInName(file);
  if (!measuredAt) throw new BenchResultError(`${file}: a ${kind} result without its date ("at", or the time in a cold-start-<time>.json name)`);
  return { file, measuredAt, kind, data } as BenchResult;
}

export function readBenchResult(file: string): BenchResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BenchResultError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BenchResultError(`${file}: not JSON (expected the result file written by ${KNOWN})`);
  }
  return parseBenchResult(file, json);
}

function benchmarkOf(json: unknown): keyof typeof SCHEMAS | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const named = (json as { benchmark?: unknown }).benchmark;
  if (typeof named === 'string') return named in SCHEMAS ? (named as keyof typeof SCHEMAS) : undefined;
  // A cold-start result from before the bench named itself: its Node major and per-function results.
  return 'node' in json && 'results' in json ? 'cold-start' : undefined;
}

/** cold-start-2026-12-02T13-05-30.692Z.json → 2026-12-02T13:05:30.692Z */
function dateInName(file: string): string | undefined {
  const match = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2}(?:\.\d+)?)Z/.exec(basename(file));
  return match ? `${match[1]}T${match[2]}:${match[3]}:${match[4]}Z` : undefined;
}
