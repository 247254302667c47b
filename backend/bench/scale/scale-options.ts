import { parseArgs } from 'node:util';

export const HELP = `Usage: npm run bench:scale -- [options]

How the embedded default's costs grow with the data it holds. Fills one SQLite store (a temp
DATA_DIR, the real embedded composition) to each level of stored contacts in turn, and measures at
each one:
  1. the insert rate of new contacts through the real consumer path: uploads accepted as
     POST /v1/contacts accepts them (acceptContactBatch), then the queue drained by the consumer
     handler the local stack polls (processContactBatches → the contact store), timed from the
     first receive to the empty queue; pairs meeting for the first time, both sides reporting;
  2. the tracing time for one case with 100 contacts: the case reported (reportInfection), then the
     tracer handler run until the tracing outbox is empty (degree 1 and 2, every warning issued);
     the median of 3 cases, and for a 4th on a connection that counts them, the SQL statements;
  3. GET /v1/notifications latency: real HTTP against npm start's server on that store, one call
     at a time from the case's 100 contacts (p50/p90/p99 over --polls calls);
  4. the database size on disk (file + WAL) and bytes per stored contact.
Between levels the store is filled fast: the adapters' own writes (devices.ensureDevice and the
contact store's applyBatch) in large transactions and in id order, the rows that uploads would
leave, with the contacts' secondary indexes built once at the end. The
population is the design's scaled down: 50 stored contacts per user and day (100 observations,
half of them the other side's duplicate) over --days days, so a level of C contacts is
C / (50 × days) users; each level adds a town of new users. The fill time is reported too.
Prints a table, the sizing limit these figures give, and writes a JSON result and an HTML page
with the curves.

  --levels L,L,…        stored contacts per level, ascending (default 1e6,10e6,50e6)
  --quick               a fast check: levels 200e3,1e6, 400 uploads, 100 polls (unless given)
  --days N              contact days the store holds (default 21, RETENTION_DAYS)
  --uploads N           uploads of 50 observations in each insert phase (default 4000)
  --polls N             GET /v1/notifications calls per level (default 300)
  --seed N              the towns' randomness (default 1)
  --fill-cache-mb N     SQLite page cache of the fill's connection (default 1024; the measured
                        phases use the composition's own)
  --data-dir DIR        where the temp store is made (default the system temp directory)
  --keep                leave the store on disk at the end
  --out DIR             where to write the JSON result and the HTML page (default bench-results)
  --help                show this help

Sizing criteria (see README, "Sizing the embedded default"): the consumer keeps up with the
population's peak uploads (100 observations per user over 12 active hours), one case's tracing
ends within 30 s (the prod alarm on time to notify), and GET /v1/notifications p99 ≤ 100 ms.
Run it under nice -n 10 on a shared machine; the store takes ~370 bytes a contact on disk (18 GB at
50 M, filled in ~21 min on a quiet 2-core machine).`;

export interface ScaleOptions {
  levels: number[];
  days: number;
  uploads: number;
  polls: number;
  seed: number;
  fillCacheMb: number;
  dataDir: string | undefined;
  keep: boolean;
  out: string;
}

export const DEFAULT_LEVELS = [1e6, 10e6, 50e6];
export const QUICK = { levels: [200e3, 1e6], uploads: 400, polls: 100 } as const;

export type ParsedArgs = { help: true } | { options: ScaleOptions } | { error: string };

export function parseScaleArgs(argv: readonly string[]): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        levels: { type: 'string' },
        quick: { type: 'boolean', default: false },
        days: { type: 'string', default: '21' },
        uploads: { type: 'string' },
        polls: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'fill-cache-mb': { type: 'string', default: '1024' },
        'data-dir': { type: 'string' },
        keep: { type: 'boolean', default: false },
        out: { type: 'string', default: 'bench-results' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return { error: `${(error as Error).message}; see --help` };
  }
  if (values.help) return { help: true };
  try {
    const quick = values.quick;
    return {
      options: {
        levels: values.levels === undefined ? [...(quick ? QUICK.levels : DEFAULT_LEVELS)] : parseLevels(values.levels),
        days: wholeNumber(values.days, '--days', 1),
        uploads: values.uploads === undefined ? (quick ? QUICK.uploads : 4000) : wholeNumber(values.uploads, '--uploads', 1),
        polls: values.polls === undefined ? (quick ? QUICK.polls : 300) : wholeNumber(values.polls, '--polls', 1),
        seed: wholeNumber(values.seed, '--seed', 0),
        fillCacheMb: wholeNumber(values['fill-cache-mb'], '--fill-cache-mb', 2),
        dataDir: values['data-dir'],
        keep: values.keep,
        out: values.out,
      },
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** "1e6,10e6,50e6" or "1000000,5M": whole numbers of contacts, ascending. */
export function parseLevels(text: string): number[] {
  const levels = text.split(',').map((part) => {
    const trimmed = part.trim();
    const suffixed = /^(\d+(?:\.\d+)?)\s*([kKmM])$/.exec(trimmed);
    const value = suffixed ? Number(suffixed[1]) * (suffixed[2]!.toLowerCase() === 'k' ? 1e3 : 1e6) : Number(trimmed);
    if (trimmed === '' || !Number.isInteger(value) || value <= 0) throw new Error(`--levels: "${trimmed}" is not a whole number of contacts (e.g. 1e6 or 10M)`);
    return value;
  });
  for (let i = 1; i < levels.length; i++) {
    if (levels[i]! <= levels[i - 1]!) throw new Error(`--levels must ascend: ${levels[i]} comes after ${levels[i - 1]}`);
  }
  return levels;
}

function wholeNumber(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number of at least ${min}, got "${text}"`);
  return n;
}
