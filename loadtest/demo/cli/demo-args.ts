import { parseArgs } from 'node:util';
import { parsePolicyOverrides } from '../run/backend-env.js';

export const HELP = `Usage: npm run demo -- [options]

A simulated town on the real stack: a few hundred people in households, offices, a school, a bus,
a shop and a party carry phones running the bridge core (and a few dedicated BLE-only devices their
household's phones relay) on the simulated air. The backend is the very stack \`npm start\` runs, in
its own thread on the town's clock; every device talks to it over HTTP. Some people test positive
and report it with a verification code issued by a simulated official. The live view shows what the
API and the stores say: tokens, uploads, contacts stored, cases, who is warned at which degree and
probability and through which encounter, what the policy cut off, dead letters and errors.

At the end it checks the warnings against the simulator's ground truth (everyone with a qualifying
encounter warned, and no one else), writes an HTML page of the town (a map of who was warned,
against the truth, and a plot of the days), runs the analytics job over the simulated days and
writes the officials' report from it (the page \`npm run report\` writes), and prints where they are.

Options:
  --seed N                the town (default 1): the same seed gives the same town and warnings
  --people N              people in the town, 10–2000 (default 200)
  --days N                simulated days, 1–14 (default 3)
  --speed X               simulated time per real time, e.g. 3000 (a day in 29 s), or max (default)
  --backend B             embedded (default: one SQLite file) or aws (starts DynamoDB Local,
                          ElasticMQ, OpenSearch and cognito-local, as \`npm run stack\` does)
  --compare-policy LIST   replay the same town under a second exposure policy and compare them
                          side by side, e.g. HOP_PROBABILITY=1/2,MIN_NOTIFY_PROBABILITY=0.2
  --out DIR               where the run's data, the backend's log and the page go
                          (default ./data/demo/seed-<seed>)
  --plain                 one line per event instead of the live view (the default off a terminal)
  -h, --help              this text

The first policy is the backend's, from the environment as for \`npm start\` (HOP_PROBABILITY,
MIN_NOTIFY_PROBABILITY, EXPOSURE_MIN_MINUTES, ATTENUATION_*; README.md lists them).
Ctrl-C stops the run and the backend cleanly. Exit status: 0 when the warnings match the truth and
nothing was dead-lettered, 1 when they do not, 2 for a bad option.`;

export interface DemoArgs {
  help: boolean;
  seed: number;
  people: number;
  days: number;
  speed: number | 'max';
  backend: 'embedded' | 'aws';
  comparePolicy: Record<string, string> | undefined;
  out: string | undefined;
  plain: boolean;
}

export class DemoArgsError extends Error {}

/** The command line, validated; a DemoArgsError says what is wrong in one line. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        seed: { type: 'string', default: '1' },
        people: { type: 'string', default: '200' },
        days: { type: 'string', default: '3' },
        speed: { type: 'string', default: 'max' },
        backend: { type: 'string', default: 'embedded' },
        'compare-policy': { type: 'string' },
        out: { type: 'string' },
        plain: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new DemoArgsError(`${(error as Error).message.split('\n')[0]} (npm run demo -- --help lists the options)`);
  }
  const backend = values.backend.toLowerCase();
  if (backend !== 'embedded' && backend !== 'aws') throw new DemoArgsError(`--backend ${values.backend}: must be embedded or aws`);
  let comparePolicy: Record<string, string> | undefined;
  if (values['compare-policy'] !== undefined) {
    const parsed = parsePolicyOverrides(values['compare-policy']);
    if ('problem' in parsed) throw new DemoArgsError(`--compare-policy: ${parsed.problem}`);
    comparePolicy = parsed.overrides;
  }
  return {
    help: values.help,
    seed: integer('--seed', values.seed, 0, 2 ** 31 - 1),
    people: integer('--people', values.people, 10, 2000),
    days: integer('--days', values.days, 1, 14),
    speed: speedOf(values.speed),
    backend,
    comparePolicy,
    out: values.out,
    plain: values.plain,
  };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new DemoArgsError(`${flag} ${text}: must be a whole number from ${min} to ${max}`);
  return n;
}

function speedOf(text: string): number | 'max' {
  if (text.toLowerCase() === 'max') return 'max';
  const n = Number(text);
  if (!Number.isFinite(n) || n < 1) throw new DemoArgsError(`--speed ${text}: must be max or a number of at least 1 (simulated seconds per real second)`);
  return n;
}
