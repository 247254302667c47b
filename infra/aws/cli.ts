import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './bundling.js';
import { STAGE_NAMES, stageConfig } from './config/stages.js';

const COMMANDS = {
  synth: 'Synthesises the stage\'s CloudFormation template and bundles every function (no AWS credentials needed); cdk-nag runs on it.',
  deploy: 'Deploys the stage to the account of your AWS credentials (bootstrap the account and region once: npx cdk bootstrap aws://ACCOUNT/REGION). Outputs go to cdk.out/<stage>/outputs.json.',
  destroy: 'Deletes the stage\'s stack. A stage that keeps its data (prod) is termination-protected and its tables, pools, domain and secret are retained.',
  diff: 'Shows what a deploy would change.',
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
  const args = [command, '--app', app, '--context', `stage=${stage}`, '--output', out, ...(command === 'synth' ? ['--quiet'] : []), ...(command === 'deploy' ? ['--outputs-file', join(out, 'outputs.json')] : []), ...positionals];
  const cdk = join(REPO_ROOT, 'node_modules', '.bin', 'cdk');
  return new Promise((done) => {
    const child = spawn(cdk, args, { stdio: 'inherit', cwd: REPO_ROOT });
    child.on('exit', (code) => done(code ?? 1));
  });
}

process.exitCode = await main();
