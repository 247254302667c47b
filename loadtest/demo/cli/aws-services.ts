import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newRelayKeyFile } from '../../../backend/src/adapters/relay-keys/load-relay-keys.js';
import { newTokenKeyFile } from '../../../backend/src/adapters/token-keys/load-token-keys.js';
import { awsBackendEnvOf } from '../../../infra/local-services/aws-backend-env.js';
import { startLocalServices } from '../../../infra/local-services/start-local-services.js';

export interface AwsServicesHandle {
  /** BACKEND=aws, the services' endpoints and names, and fresh key files. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** `--backend aws`: the local AWS-compatible services on free ports, as `npm run stack` starts them. */
export async function startAwsServices(out: string, progress: (message: string) => void): Promise<AwsServicesHandle> {
  const prefix = `demo${process.pid}-`;
  const services = await startLocalServices({ prefix, ports: 'free', progress });
  const tokenKeys = join(out, 'token-keys.json');
  const relayKeys = join(out, 'relay-keys.json');
  writeFileSync(tokenKeys, JSON.stringify(newTokenKeyFile(), null, 2), { mode: 0o600 });
  writeFileSync(relayKeys, JSON.stringify(newRelayKeyFile(), null, 2), { mode: 0o600 });
  return {
    env: { ...awsBackendEnvOf(services.endpoints, prefix), TOKEN_KEYS_FILE: tokenKeys, RELAY_KEYS_FILE: relayKeys },
    stop: () => services.stop(),
  };
}
