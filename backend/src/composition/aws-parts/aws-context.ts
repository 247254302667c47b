import type { Logger } from '@aws-lambda-powertools/logger';
import { dynamoTableNames, type DynamoTableNames } from '../../adapters/dynamodb/dynamo-tables.js';
import { contactIndexNames, type ContactIndexNames } from '../../adapters/search/contact-indices.js';
import type { ContactQueueUrls } from '../../adapters/sqs/sqs-queues.js';
import { systemClock, type Clock } from '../../application/clock.js';
import type { AwsConfig } from '../../config/aws-config.js';
import type { BackendConfig } from '../../config/backend-config.js';

/**
 * What every part of the AWS composition builds from: the configuration, the logger and clocks,
 * the resource names, and a memo so that a client or key set shared by several ports is built once.
 * Each Lambda function builds only the parts its handler uses (aws-parts/*), the local stack all of them.
 */
export interface AwsContext {
  config: BackendConfig;
  aws: AwsConfig;
  logger: Logger;
  clock: Clock;
  /** Cognito's clock: its tokens' lifetimes and the challenges whose DynamoDB TTL the wall clock ages. */
  identityClock: Clock;
  tables: DynamoTableNames;
  indices: ContactIndexNames;
  urls: ContactQueueUrls;
  /** The value `build` makes, built on the first call for this key and shared after it. */
  once<T>(key: string, build: () => T): T;
  /** Registers a step of close(): clients destroyed, followers stopped. */
  onClose(step: () => void | Promise<void>): void;
  /** Runs the registered steps, the latest first. */
  close(): Promise<void>;
}

export function awsContext(config: BackendConfig, logger: Logger, clock: Clock = systemClock, identityClock: Clock = clock): AwsContext {
  const aws = config.aws;
  if (!aws) throw new Error('createAwsServices needs BACKEND=aws and its settings');
  const built = new Map<string, unknown>();
  const closing: (() => void | Promise<void>)[] = [];
  return {
    config,
    aws,
    logger,
    clock,
    identityClock,
    tables: dynamoTableNames(aws.dynamodb.tablePrefix),
    indices: contactIndexNames(aws.search.indexPrefix),
    urls: aws.sqs,
    once<T>(key: string, build: () => T): T {
      if (!built.has(key)) built.set(key, build());
      return built.get(key) as T;
    },
    onClose: (step) => void closing.push(step),
    close: async () => {
      for (const step of closing.splice(0).reverse()) await step();
    },
  };
}

/**
 * A context whose clients are given by their memo keys (aws-parts/*-client.ts, search-engine.ts):
 * the AWS test harness builds the composition's stores on its own clients and resource names.
 */
export function contextWithClients(
  base: Pick<AwsContext, 'config' | 'clock' | 'tables' | 'indices' | 'urls'>,
  clients: Record<string, unknown>,
): AwsContext {
  const built = new Map<string, unknown>(Object.entries(clients));
  return {
    ...base,
    identityClock: base.clock,
    get aws(): never {
      throw new Error('this context has its clients given, not AWS settings to build them from');
    },
    get logger(): never {
      throw new Error('this context builds stores only, which do not log');
    },
    once<T>(key: string, build: () => T): T {
      if (!built.has(key)) built.set(key, build());
      return built.get(key) as T;
    },
    onClose: () => {},
    close: async () => {},
  };
}

/** INSECURE_DEVELOPMENT=1 lets a development stack run with unsafe settings: said loudly, every start. */
export function warnIfInsecure(config: BackendConfig, logger: Logger): void {
  if (config.insecureDevelopment.length === 0) return;
  const banner = `INSECURE_DEVELOPMENT=1: this BACKEND=aws stack is for development only:\n${config.insecureDevelopment.map((s) => `  - ${s}`).join('\n')}`;
  console.error(`\n${'!'.repeat(78)}\n${banner}\n${'!'.repeat(78)}\n`);
  logger.warn('INSECURE_DEVELOPMENT: unsafe settings allowed', { insecureSettings: config.insecureDevelopment });
}
