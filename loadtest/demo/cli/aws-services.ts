import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newRelayKeyFile } from '../../../backend/src/adapters/relay-keys/load-relay-keys.js';
import { newTokenKeyFile } from '../../../backend/src/adapters/token-keys/load-token-keys.js';
import { awsBackendEnv } from '../../../infra/local-services/aws-backend-env.js';
import { provisionLocalResources } from '../../../infra/local-services/provision-resources.js';
import { startLocalServices } from '../../../infra/local-services/start-local-services.js';

export interface AwsServicesHandle {
  /**
   * BACKEND=aws for one run of the town: tables, queues, indices and a user pool of its own (a
   * what-if replays the town on empty stores, as the embedded backend does with a new file), and
   * the key files.
   */
  envForRun(run: number): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** `--backend aws`: the local AWS-compatible services on free ports, as `npm run stack` starts them. */
export async function startAwsServices(out: string, progress: (message: string) => void): Promise<AwsServicesHandle> {
  const services = await startLocalServices({ prefix: `demo${process.pid}-`, ports: 'free', progress });
  const tokenKeys = join(out, 'token-keys.json');
  const relayKeys = join(out, 'relay-keys.json');
  writeFileSync(tokenKeys, JSON.stringify(newTokenKeyFile(), null, 2), { mode: 0o600 });
  writeFileSync(relayKeys, JSON.stringify(newRelayKeyFile(), null, 2), { mode: 0o600 });
  return {
    envForRun: async (run) => {
      const { resources } = await provisionLocalResources(services.endpoints, `demo${process.pid}-run${run + 1}-`, { visibilityTimeoutSeconds: 60, maxReceiveCount: 5 });
      return { ...awsBackendEnv(resources), TOKEN_KEYS_FILE: tokenKeys, RELAY_KEYS_FILE: relayKeys };
    },
    stop: () => services.stop(),
  };
}
