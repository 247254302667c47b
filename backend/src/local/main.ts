import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assertFollowUpRetention } from '../application/analytics/follow-up-retention.js';
import { loadBackendConfig } from '../config/backend-config.js';
import { ConfigError } from '../config/env-schema.js';
import { DATABASE_FILE } from '../composition/embedded.js';
import { createLogger } from '../composition/logger.js';
import { startLocalStack } from './local-stack.js';
import { explainStartupError } from './startup-error.js';

const HELP = `Usage: npm start [-- --help]

Runs the Proxitrace backend: the device API over HTTP, the contact queue consumer and retention
purges, on the embedded default (one SQLite file under DATA_DIR) or, with BACKEND=aws, on
DynamoDB, SQS, OpenSearch and Cognito (or their local stand-ins: see \`npm run stack\`).
Every setting comes from the environment; README.md lists them all. The main ones:

  BACKEND       embedded (default) or aws (then AWS_REGION, SQS_QUEUE_URL, … are required)
  PORT          HTTP port (default 3000; 0 picks a free one)
  HOST          interface to listen on (default 127.0.0.1)
  DATA_DIR      where the SQLite file and local keys live (default ./data)
  LOG_LEVEL     DEBUG, INFO, WARN, ERROR or SILENT (default INFO)
  DEV_SMS_ECHO  1 to return sign-in codes in the API response (development only)
  OFFICIAL_PHONE_NUMBERS  comma-separated E.164 numbers that sign in as health officials`;

async function main(): Promise<void> {
  let values: { help?: boolean };
  try {
    ({ values } = parseArgs({ options: { help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (error) {
    return fail(error, { host: '127.0.0.1', port: 0 });
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  let config;
  try {
    config = loadBackendConfig(process.env);
    assertFollowUpRetention(config.analytics);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  for (const warning of config.warnings) console.error(`WARNING: ${warning}`);
  const logger = createLogger(config);
  let stack;
  try {
    stack = await startLocalStack(config, logger);
  } catch (error) {
    return fail(error, { host: config.host, port: config.port, dataDir: resolve(config.dataDir) });
  }
  // Always printed, whatever LOG_LEVEL: people and scripts wait for this line.
  const where = config.aws ? `on AWS adapters, region ${config.aws.region}` : `data in ${resolve(config.dataDir)}`;
  console.log(`Proxitrace local stack listening on ${stack.url} (${where})`);
  logger.info('local stack listening', {
    url: stack.url,
    backend: config.backend,
    ...(config.aws ? {} : { database: resolve(config.dataDir, DATABASE_FILE) }),
    openapi: `${stack.url}/openapi.json`,
    devSmsEcho: config.devSmsEcho,
    pid: process.pid,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('unclean stop', { error: error as Error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** A known start-up failure is one line and exit code 2; anything else is a fault, shown in full. */
function fail(error: unknown, settings: { host: string; port: number; dataDir?: string }): never {
  const explained = explainStartupError(error, settings);
  if (!explained) throw error;
  console.error(`Cannot start: ${explained}`);
  process.exit(2);
}

await main();
