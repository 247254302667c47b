import { parseArgs } from 'node:util';
import { SERVICE_FLAGS, startServicesFromFlags, stopEverythingOnExit } from './cli-support.js';
import { DEFAULT_PORTS, SERVICE_NAMES, type ServiceName } from './start-local-services.js';

const HELP = `npm run services -- [options]

Starts AWS-compatible services on 127.0.0.1 and keeps them running until Ctrl-C / SIGTERM:
  dynamodb    DynamoDB Local (in memory) with the project's tables      port ${DEFAULT_PORTS.dynamodb}
  sqs         ElasticMQ with the contact queue and its dead-letter queue port ${DEFAULT_PORTS.sqs}
  opensearch  a single OpenSearch 2.19 node                             port ${DEFAULT_PORTS.opensearch}
  cognito     cognito-local with a phone-number user pool + officials    port ${DEFAULT_PORTS.cognito}

The Java services come from Maven Central on first use (cached under ~/.m2/proxitrace-local-services,
or $PROXITRACE_SERVICES_CACHE); nothing is kept between runs.

Options:
  --only a,b      start only these services (${SERVICE_NAMES.join(', ')})
  --prefix P      prefix of tables and user pool (default proxitrace-)
  --free-ports    pick free ports instead of the defaults
  --keep-logs     keep the run folder (logs, data) after stopping
  -h, --help      this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, ...SERVICE_FLAGS } });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const only = values.only === undefined ? undefined : parseOnly(values.only);
  const started = Date.now();
  const services = await startServicesFromFlags(values, only);
  console.log(`\nAll ready in ${((Date.now() - started) / 1000).toFixed(1)}s. Logs: ${services.runDir}`);
  console.log(JSON.stringify(services.endpoints, null, 2));
  console.log('\nCtrl-C stops them all.');
  stopEverythingOnExit(services);
}

function parseOnly(list: string): ServiceName[] {
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown service(s) ${unknown.join(', ')}; choose from ${SERVICE_NAMES.join(', ')}`);
  return names as ServiceName[];
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
