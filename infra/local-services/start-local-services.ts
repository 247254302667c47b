import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, freePortIn, isPortFree } from './free-port.js';
import { startCognitoLocal, type CognitoEndpoint } from './services/cognito-local.js';
import { startDynamoDbLocal, type DynamoDbEndpoint } from './services/dynamodb-local.js';
import { startElasticMq, type SqsEndpoint } from './services/elasticmq.js';
import { OPENSEARCH_PORT_RANGE, startOpenSearchNode, type OpenSearchEndpoint } from './services/opensearch-node.js';
import { localCredentials, LOCAL_REGION, type RunningService, type ServiceContext } from './services/service.js';

export const SERVICE_NAMES = ['dynamodb', 'sqs', 'opensearch', 'cognito'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS: Record<ServiceName, number> = { dynamodb: 8000, sqs: 9324, opensearch: 9201, cognito: 9229 };

export interface LocalServicesOptions {
  /** Which services to start; all by default. */
  only?: readonly ServiceName[];
  /** Fixed ports (the defaults), or `'free'` to pick free ones (tests). */
  ports?: Partial<Record<ServiceName, number>> | 'free';
  /** Prefix of the provisioned tables and user pool; default `proxitrace-`. */
  prefix?: string;
  /** How long each service may take to become ready; default 180 s (a cold OpenSearch on 2 cores). */
  readyTimeoutMs?: number;
  progress?: (message: string) => void;
  /** Keep the run folder (logs, OpenSearch data) after stop. */
  keepRunDir?: boolean;
}

export interface LocalEndpoints {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  dynamodb?: DynamoDbEndpoint;
  sqs?: SqsEndpoint;
  opensearch?: OpenSearchEndpoint;
  cognito?: CognitoEndpoint;
}

export interface LocalServices {
  endpoints: LocalEndpoints;
  /** Logs and data of this run. */
  runDir: string;
  /** Process ids of the services, for checks that nothing outlives `stop()`. */
  pids: number[];
  /** The same, by service (benchmarks account CPU per service). */
  pidOf: Partial<Record<ServiceName, number>>;
  /** Rejects as soon as any service process exits (also during `stop()`). */
  exited: Promise<never>;
  /** Stops every service (SIGTERM, then SIGKILL after 10 s) and removes the run folder. */
  stop(): Promise<void>;
}

type Starter = (context: ServiceContext, port: number) => Promise<RunningService<unknown>>;
const STARTERS: Record<ServiceName, Starter> = {
  dynamodb: startDynamoDbLocal,
  sqs: startElasticMq,
  opensearch: startOpenSearchNode,
  cognito: startCognitoLocal,
};

/** Starts the AWS-compatible services on loopback, provisions them and waits until each is ready. */
export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const names = [...new Set(options.only ?? SERVICE_NAMES)];
  const ports = await choosePorts(names, options.ports);
  const runDir = mkdtempSync(join(tmpdir(), 'proxitrace-services-'));
  const context: ServiceContext = {
    runDir,
    prefix: options.prefix ?? 'proxitrace-',
    readyTimeoutMs: options.readyTimeoutMs ?? 180_000,
    progress: options.progress ?? (() => {}),
  };
  const results = await Promise.allSettled(names.map((name) => STARTERS[name](context, ports[name]!)));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async () => {
    await Promise.all(started.map((service) => service.stop()));
    if (!options.keepRunDir) rmSync(runDir, { recursive: true, force: true });
  };
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    await Promise.all(started.map((service) => service.stop()));
    throw new AggregateError(failures, `local services failed to start (logs in ${runDir}):\n${failures.map(String).join('\n')}`);
  }
  const endpoints: LocalEndpoints = { region: LOCAL_REGION, credentials: localCredentials() };
  names.forEach((name, i) => Object.assign(endpoints, { [name]: started[i]!.endpoint }));
  let stopping: Promise<void> | undefined;
  const exited = Promise.race(started.map((service) => service.exited));
  exited.catch(() => {});
  const pidOf = Object.fromEntries(names.map((name, i) => [name, started[i]!.pid]));
  return { endpoints, runDir, pids: started.map((service) => service.pid), pidOf, exited, stop: () => (stopping ??= stopAll()) };
}

async function choosePorts(names: readonly ServiceName[], requested: LocalServicesOptions['ports']): Promise<Partial<Record<ServiceName, number>>> {
  const ports: Partial<Record<ServiceName, number>> = {};
  for (const name of names) {
    if (requested === 'free') {
      ports[name] = name === 'opensearch' ? await freePortIn(OPENSEARCH_PORT_RANGE.min + 1, OPENSEARCH_PORT_RANGE.max) : await freePort();
      continue;
    }
    const port = requested?.[name] ?? DEFAULT_PORTS[name];
    if (!(await isPortFree(port))) throw new Error(`${name}: port ${port} is already in use (another \`npm run services\`?)`);
    ports[name] = port;
  }
  return ports;
}
