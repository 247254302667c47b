import { newRelayKeyFile } from '../src/adapters/relay-keys/load-relay-keys.js';
import { newTokenKeyFile } from '../src/adapters/token-keys/load-token-keys.js';
import { awsBackendEnvOf } from '../../infra/local-services/aws-backend-env.js';
import { startLocalServices } from '../../infra/local-services/start-local-services.js';

export const AWS_BENCH_PREFIX = 'bench-';

export interface AwsBenchServices {
  /** The BACKEND=aws environment of the benchmarked server. */
  env: Record<string, string>;
  opensearchNode: string;
  /** Process id of each engine, for CPU accounting. */
  pidOf: Record<string, number>;
  stop(): Promise<void>;
}

/** DynamoDB Local, ElasticMQ, OpenSearch and cognito-local on free ports, provisioned for one server. */
export async function startAwsBenchServices(progress: (message: string) => void): Promise<AwsBenchServices> {
  const services = await startLocalServices({ ports: 'free', prefix: AWS_BENCH_PREFIX, progress });
  const [key] = newTokenKeyFile().keys;
  return {
    env: {
      ...awsBackendEnvOf(services.endpoints, AWS_BENCH_PREFIX),
      TOKEN_KEYS: `${key!.id}:${key!.secret}`,
      RELAY_KEYS: JSON.stringify(newRelayKeyFile()),
      SQS_WAIT_TIME_SECONDS: '1',
    },
    opensearchNode: services.endpoints.opensearch!.node,
    pidOf: services.pidOf as Record<string, number>,
    stop: () => services.stop(),
  };
}
