import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { newRelayKeyFile } from '../../backend/src/adapters/relay-keys/load-relay-keys.js';
import { newTokenKeyFile } from '../../backend/src/adapters/token-keys/load-token-keys.js';
import { createLogger } from '../../backend/src/composition/logger.js';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import { ConfigError } from '../../backend/src/config/env-schema.js';
import { startLocalStack } from '../../backend/src/local/local-stack.js';
import { awsBackendEnvOf } from './aws-backend-env.js';
import { SERVICE_FLAGS, startServicesFromFlags, stopEverythingOnExit } from './cli-support.js';
import type { LocalEndpoints } from './start-local-services.js';

const HELP = `npm run stack [-- options]

Starts the local AWS-compatible services (DynamoDB Local, ElasticMQ, OpenSearch, cognito-local; see
\`npm run services\`) and the same backend as \`npm start\`, with BACKEND=aws pointed at them: the device
API over HTTP, the contact consumer polling SQS continuously as Lambda's event source would, and the
retention purges. Ctrl-C (or SIGTERM) stops everything.

Settings come from the environment as for \`npm start\` (PORT, HOST, OFFICIAL_PHONE_NUMBERS,
DEV_SMS_ECHO, …; README.md lists them); the AWS endpoints and names are filled in from the services.
Token keys: TOKEN_KEYS or TOKEN_KEYS_FILE, else DATA_DIR/token-keys.json (created on first start); relay keys likewise
(RELAY_KEYS, RELAY_KEYS_FILE, DATA_DIR/relay-keys.json).
It is a development stack: INSECURE_DEVELOPMENT=1 and SMS_SENDER=log are set (sign-in codes go to
the log, and to API responses with DEV_SMS_ECHO=1), announced by a banner at start-up.
All services start empty: nothing is kept between runs.

Options:
  --prefix P      prefix of tables, queues, indices and user pool (default proxitrace-)
  --free-ports    pick free ports for the services instead of the defaults
  --keep-logs     keep the services' run folder (logs, data) after stopping
  -h, --help      this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: SERVICE_FLAGS });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const prefix = values.prefix ?? 'proxitrace-';
  const services = await startServicesFromFlags({ ...values, prefix });
  let stopStack: () => Promise<void> = async () => {};
  const stop = stopEverythingOnExit(services, () => stopStack());

  try {
    const config = loadBackendConfig({ ...process.env, ...awsEnvironment(services.endpoints, prefix) });
    const stack = await startLocalStack(config, createLogger(config));
    stopStack = stack.stop;
    console.log(`\nServices' logs: ${services.runDir}`);
    console.log(JSON.stringify(services.endpoints, null, 2));
    // The same line as `npm start`: people and scripts wait for it.
    console.log(`Proxitrace local stack listening on ${stack.url} (on AWS adapters, region ${config.aws!.region})`);
    console.log('Ctrl-C stops everything.');
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    await stop('start-up failed', 2);
  }
}

/** BACKEND=aws and the services' endpoints and names; token keys default to a file under DATA_DIR. */
function awsEnvironment(endpoints: LocalEndpoints, prefix: string): Record<string, string> {
  return {
    ...awsBackendEnvOf(endpoints, prefix),
    ...(process.env.TOKEN_KEYS || process.env.TOKEN_KEYS_FILE ? {} : { TOKEN_KEYS_FILE: defaultKeyFile('token-keys.json', newTokenKeyFile) }),
    ...(process.env.RELAY_KEYS || process.env.RELAY_KEYS_FILE ? {} : { RELAY_KEYS_FILE: defaultKeyFile('relay-keys.json', newRelayKeyFile) }),
  };
}

function defaultKeyFile(name: string, create: () => object): string {
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(create(), null, 2), { mode: 0o600, flag: 'wx' });
  }
  return file;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
