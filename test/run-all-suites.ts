import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** `npm test`: the three steps CI runs, in order, stopping at the first that fails. */
const HELP = `Usage: npm test [-- --help]

Type-checks the project (tsc --noEmit), runs the main suite (vitest run: unit, contract, end to end,
real noble/bleno on virtual HCI controllers), then the AWS adapters' suite against DynamoDB Local,
ElasticMQ, OpenSearch and cognito-local, which it starts itself (vitest run --config
vitest.services.config.ts; first run: ~160 MB of jars into ~/.m2). Stops at the first step that
fails, with its exit code. Needs Java 17 + Maven and python3 (README, "Quick start").

A few files only:  npx vitest run <files>
                   npx vitest run --config vitest.services.config.ts <files>`;

const ROOT = resolve(import.meta.dirname, '..');
const bin = (name: string) => resolve(ROOT, 'node_modules/.bin', name);
const STEPS: [string, string[]][] = [
  [bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  [bin('vitest'), ['run']],
  [bin('vitest'), ['run', '--config', 'vitest.services.config.ts']],
];

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`Cannot start: npm test takes only --help, not ${args.join(' ')}; for a few files: npx vitest run <files>`);
  process.exit(2);
}
for (const [command, stepArgs] of STEPS) {
  const step = spawnSync(command, stepArgs, { cwd: ROOT, stdio: 'inherit' });
  if (step.error) throw step.error;
  if (step.status !== 0) process.exit(step.status ?? 1);
}
