import { parseArgs, type ParseArgsConfig } from 'node:util';
import { compareProfiles } from './compare.js';
import { ASSUMPTION_KEYS, DEPLOYMENT_KEYS, flagName, parseCapacityOptions } from './options.js';
import { PRICE_KEYS } from './prices.js';
import { renderText } from './render.js';
import { totalUsd } from './cost.js';
import { BenchResultError, readBenchResult } from './measured/bench-results.js';
import { measuredInputs, type MeasuredInputs } from './measured/measured-inputs.js';

const HELP = `Usage: npm run capacity -- [--users 48000000] [--<assumption> value ...] [--price key=value ...] [--measured FILE[,FILE...]] [--json]

Computes contacts/day, registration and upload TPS, SQS messages, Lambda invocations, storage and a monthly
AWS cost by service, for the design's assumptions, for this project's choices (token prefetch, HTTP API,
retention), and for the AWS deployment of a stage as infra/aws configures it (OpenSearch instances and EBS
for contacts, Cognito per monthly active user, SMS per sign-in), printing every assumption used.

Assumption flags (each overrides every column):
${ASSUMPTION_KEYS.map((k) => `  --${flagName(k)}`).join('\n')}

Deployment flags (the deployed column):
  --stage NAME        the stage priced (default prod)
${DEPLOYMENT_KEYS.map((k) => `  --${flagName(k)}`).join('\n')}

  --price key=value   replace a list price by a flat USD price; keys: ${PRICE_KEYS.join(', ')}
  --measured FILES    benchmark results (JSON in bench-results/, comma-separated or the flag repeated)
                      that replace the assumptions they measure, printing which file and date each came from:
                        npm run bench:ingest [-- --backend aws]  consumer, upload and token-call CPU
                                                                 → --consumer-lambda-duration-ms, --api-lambda-duration-ms
                        npm run bench:search-ingest              OpenSearch node CPU per contact → data-node vCPUs
                                                                 needed at the peak against the stage's
                        npm run bench:cold-start                 initialisation per function (printed, not priced)
                      An assumption also given as a flag keeps the flag's value.
  --json              print the result as JSON instead of tables
  --help              show this help
`;

const options: ParseArgsConfig['options'] = {
  help: { type: 'boolean' },
  json: { type: 'boolean' },
  price: { type: 'string', multiple: true },
  measured: { type: 'string', multiple: true },
  stage: { type: 'string' },
  ...Object.fromEntries([...ASSUMPTION_KEYS, ...DEPLOYMENT_KEYS].map((k) => [flagName(k), { type: 'string' as const }])),
};

function main(argv: string[]): number {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const parsed = parseCapacityOptions(values);
  if (!parsed.ok) {
    process.stderr.write(`Invalid options:\n${parsed.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 2;
  }
  const { overrides, prices, json, stage, deployment } = parsed.options;
  let profiles;
  let measured: MeasuredInputs | undefined;
  try {
    const files = ((values.measured as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((f) => f.trim()).filter(Boolean);
    if (files.length > 0) measured = measuredInputs(files.map(readBenchResult));
    const explicit = new Set(Object.keys(overrides) as (keyof typeof overrides)[]);
    profiles = compareProfiles(overrides, prices, { stage, assumptions: deployment }, measured ? { inputs: measured, explicit } : undefined);
  } catch (error) {
    process.stderr.write(`${error instanceof BenchResultError ? '--measured: ' : ''}${(error as Error).message}\n`);
    return 2;
  }
  if (json) {
    const out = profiles.map((p) => ({ ...p, totalMonthlyUsd: totalUsd(p.costs) }));
    // Open-ended price tiers are Infinity, which JSON cannot hold: write them as the string "Infinity".
    const json = JSON.stringify({ profiles: out, prices, ...(measured ? { measured } : {}) }, (_key, value: unknown) => (value === Number.POSITIVE_INFINITY ? 'Infinity' : value), 2);
    process.stdout.write(`${json}\n`);
  } else {
    process.stdout.write(`${renderText(profiles, prices, measured)}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
