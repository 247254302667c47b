import { z } from 'zod';
import { SCENARIO_NAMES } from '../scenarios/scenario.js';
import { durationSchema } from '../../../backend/src/config/duration.js';
import { anyCase } from '../../../backend/src/config/env-schema.js';

const MAX_DURATION_MS = 24 * 3_600_000;

const duration = (maxMs: number) => durationSchema({ min: 1, max: maxMs });

/** The load CLI's flags, validated. Absent optional values fall back to the scenario's defaults. */
export const LoadOptionsSchema = z.object({
  target: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://127.0.0.1:3000' }),
  scenario: anyCase(SCENARIO_NAMES).default('smoke'),
  duration: duration(MAX_DURATION_MS).optional(),
  scale: z.coerce.number().positive().max(10).optional(),
  devices: z.coerce.number().int().min(2).max(100_000).optional(),
  compression: z.coerce.number().positive().max(10_000_000).optional(),
  arrivals: anyCase(['poisson', 'constant']).optional(),
  'tokens-per-call': z.coerce.number().int().min(1).max(8).default(1),
  'flush-after': duration(MAX_DURATION_MS).optional(),
  'max-in-flight': z.coerce.number().int().min(1).max(100_000).default(512),
  'max-backlog': z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  connections: z.coerce.number().int().min(1).max(10_000).default(128),
  'official-phone': z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +447700900001').optional(),
  'official-totp-secret': z.string().regex(/^[A-Z2-7]+=*$/, 'expected the base32 authenticator secret the enrolment returned').optional(),
  credentials: z.string().min(1).optional(),
  'stats-interval': duration(60_000).default(1_000),
  'drain-timeout': duration(10 * 60_000).default(30_000),
  'refresh-ahead': duration(MAX_DURATION_MS).default(5 * 60_000),
  slice: duration(60_000).default(1_000),
  seed: z.coerce.number().int().min(0).default(1),
  'watch-pid': z.coerce.number().int().positive({ error: 'expected the PID of the server process on this machine' }).optional(),
  'watch-files': z
    .string()
    .transform((v) => v.split(',').map((f) => f.trim()).filter((f) => f.length > 0))
    .default([]),
  'watch-interval': duration(10 * 60_000).default(5_000),
  out: z.string().min(1).default('loadtest-results'),
  quiet: z.boolean().default(false),
});

export type LoadOptions = z.infer<typeof LoadOptionsSchema>;

export type LoadParse = { ok: true; options: LoadOptions } | { ok: false; problems: string[] };

export function parseLoadOptions(values: Record<string, unknown>): LoadParse {
  const parsed = LoadOptionsSchema.safeParse(values);
  if (parsed.success) return { ok: true, options: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`) };
}
