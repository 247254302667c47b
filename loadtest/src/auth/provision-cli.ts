import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { provisionLoadTestUsers } from './provision-users.js';
import { stageStackName } from '../../../infra/aws/stack-names.js';
import { FICTIONAL_PHONE_NUMBERS } from '../population/fictional-phone-numbers.js';

const HELP = `Usage: npm run loadtest:users -- [--stage dev] --count N [--out FILE]

Creates N load-test users in a deployment's device pool and registers each as a device (as a first SMS
sign-in would), then writes the credentials file for \`npm run loadtest -- --credentials FILE\`. Uses your
AWS credentials (cognito-idp:Admin* on the pool, dynamodb writes on the devices tables). The device app
client allows USER_PASSWORD_AUTH on every stage (infra/aws/constructs/identity.ts); provision test users
on a stage that keeps no data (dev), never in prod.

Options:
  --stage NAME          read the pool, client, table prefix and region from cdk.out/<stage>/outputs.json
                        (written by npm run deploy) (default dev)
  --count N             users to create (1–80000: the fictional numbers +1 NPA 555-0100…0199 there are)
  --out FILE            where the credentials go (default loadtest-users-<stage>.json; keep it out of git)
  --user-pool-id, --client-id, --table-prefix, --region
                        instead of the stage outputs
  --cognito-endpoint, --dynamodb-endpoint
                        local stand-ins (cognito-local, DynamoDB Local)
  -h, --help            this text`;

const OPTIONS = {
  stage: { type: 'string', default: 'dev' },
  count: { type: 'string' },
  out: { type: 'string' },
  'user-pool-id': { type: 'string' },
  'client-id': { type: 'string' },
  'table-prefix': { type: 'string' },
  region: { type: 'string' },
  'cognito-endpoint': { type: 'string' },
  'dynamodb-endpoint': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ options: OPTIONS });
  } catch (error) {
    console.error(`${(error as Error).message}\nSee npm run loadtest:users -- --help`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > FICTIONAL_PHONE_NUMBERS) {
    console.error(`--count must be a whole number from 1 to ${FICTIONAL_PHONE_NUMBERS} (each user has a fictional number), not ${values.count ?? '(unset)'}`);
    return 2;
  }
  const outputs = stageOutputs(values.stage!);
  const pick = (flag: string | undefined, output: string) => flag ?? outputs?.[output];
  const settings = {
    userPoolId: pick(values['user-pool-id'], 'UserPoolId'),
    clientId: pick(values['client-id'], 'UserPoolClientId'),
    tablePrefix: pick(values['table-prefix'], 'TablePrefix'),
    region: pick(values.region, 'Region'),
  };
  const missing = Object.entries(settings).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) {
    console.error(`missing ${missing.join(', ')}: deploy the stage first (npm run deploy -- --stage ${values.stage}) or pass the flags`);
    return 2;
  }
  const region = settings.region!;
  const cognito = new CognitoIdentityProviderClient({ region, ...(values['cognito-endpoint'] ? { endpoint: values['cognito-endpoint'] } : {}) });
  const dynamo = new DynamoDBClient({ region, ...(values['dynamodb-endpoint'] ? { endpoint: values['dynamodb-endpoint'] } : {}) });
  try {
    const file = await provisionLoadTestUsers({
      cognito,
      doc: DynamoDBDocumentClient.from(dynamo),
      region,
      userPoolId: settings.userPoolId!,
      clientId: settings.clientId!,
      tablePrefix: settings.tablePrefix!,
      count,
      cognitoEndpoint: values['cognito-endpoint'],
    });
    const out = resolve(values.out ?? `loadtest-users-${values.stage}.json`);
    writeFileSync(out, JSON.stringify(file, null, 2), { mode: 0o600 });
    console.log(`${count} users ready: ${out}`);
    return 0;
  } finally {
    cognito.destroy();
    dynamo.destroy();
  }
}

/** The outputs of the stage's stack that `npm run deploy` wrote (the edge stack in us-east-1 has its own, which these do not need). */
function stageOutputs(stage: string): Record<string, string> | undefined {
  const file = join(process.cwd(), 'cdk.out', stage, 'outputs.json');
  if (!existsSync(file)) return undefined;
  const stacks = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
  return stacks[stageStackName(stage)];
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
