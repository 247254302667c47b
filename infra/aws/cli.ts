import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './bundling.js';
import { STAGE_NAMES, stageConfig } from './config/stages.js';

const COMMANDS = {
  synth: 'Synthesises the stage\'s two CloudFormation templates (Proxitrace-<stage> in its region, Proxitrace-<stage>-edge in us-east-1) and bundles every function (no AWS credentials needed); cdk-nag runs on them.',
  deploy: 'Deploys both stacks of the stage to the account of your AWS credentials, the edge stack first (bootstrap the account in the stage\'s region and in us-east-1 once: npx cdk bootstrap aws://ACCOUNT/REGION aws://ACCOUNT/us-east-1). Outputs go to cdk.out/<stage>/outputs.json.',
  destroy: 'Deletes both stacks of the stage, the edge stack last. A stage that keeps its data (prod) is termination-protected and its tables, pools, domain and secrets are retained.',
  diff: 'Shows what a deploy would change, in both stacks.',
} as const;
type Command = keyof typeof COMMANDS;

const HELP = (command: Command) => `npm run ${command} -- [--stage ${STAGE_NAMES.join('|')}] [-- <cdk options>]

${COMMANDS[command]}

Options:
  --stage NAME   the stage (default dev): ${STAGE_NAMES.join(', ')}; infra/aws/config/stages.ts holds their sizes
  --out DIR      the cloud assembly directory (default cdk.out/<stage>)
  -h, --help     this text

Environment: OFFICIAL_PHONE_NUMBERS (comma-separated E.164) adds health officials without writing their
numbers into the repository. Anything after a second -- goes to the cdk CLI (e.g. --require-approval never).`;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2) as [Command, ...string[]];
  if (!(command in COMMANDS)) {
    console.error(`usage: tsx infra/aws/cli.ts ${Object.keys(COMMANDS).join('|')} [--stage NAME]`);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: { stage: { type: 'string', default: 'dev' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(HELP(command));
    return 0;
  }
  const stage = values.stage!;
  try {
    stageConfig(stage); // validate before cdk starts
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const out = resolve(values.out ?? join(REPO_ROOT, 'cdk.out', stage));
  const app = `${process.execPath} --import tsx ${join(REPO_ROOT, 'infra/aws/app.ts')}`;
  // Two stacks per stage: deploy and destroy act on both (cdk orders them by their reference) unless stacks are named.
  const bothStacks = (command === 'deploy' || command === 'destroy') && !positionals.some((p) => p.startsWith('Proxitrace-')) ? ['--all'] : [];
  const args = [command, '--app', app, '--context', `stage=${stage}`, '--output', out, ...(command === 'synth' ? ['--quiet'] : []), ...(command === 'deploy' ? ['--outputs-file', join(out, 'outputs.json')] : []), ...bothStacks, ...positionals];
  const cdk = join(REPO_ROOT, 'node_modules', '.bin', 'cdk');
  return new Promise((done) => {
    const child = spawn(cdk, args, { stdio: 'inherit', cwd: REPO_ROOT });
    child.on('exit', (code) => done(code ?? 1));
  });
}

process.exitCode = await main();
