import { parseArgs } from 'node:util';
import type { OutbreakBackendName } from './outbreak-backends.js';

export const HELP = `Usage: npm run bench:outbreak -- [options]

The tracing cost of an outbreak: how long the tracer takes, and how much it asks of the stores,
for one case whose chains reach 10, 100 and 1,000 devices. For each reach, a fresh set of devices
is registered and their contact tree uploaded (both sides of every encounter, through the contact
queue's consumer as in production): the index meets the smallest number of devices for which the
policy's degrees (HOP_PROBABILITY, MIN_NOTIFY_PROBABILITY: degree 2 by default) reach that many,
each of those meets as many again, and so on. Then the index reports a positive test and the
tracer runs until no task waits. The bench checks that every device got exactly one warning at its
true degree, and fails if not.
Per reach it prints the tracer's time (from the report to the empty outbox; on AWS it includes the
DynamoDB stream's delivery), its tasks, its calls into each port, and what those cost underneath:
SQL statements on the embedded store, HTTP requests to DynamoDB, SQS and OpenSearch on the AWS
adapters. Only the tracer's own invocations are counted, not the poll of the outbox or stream that
hands them their tasks (Lambda's event source does that in AWS). Writes a JSON result.

  --backend B      embedded, aws or both (default both). aws starts DynamoDB Local, ElasticMQ,
                   OpenSearch and cognito-local (~1–2 min; see README, local AWS services)
  --reach N,N,…    devices the case reaches, one outbreak each (default 10,100,1000)
  --out DIR        where to write the JSON result (default bench-results)
  --help           show this help`;

export interface OutbreakOptions {
  backends: OutbreakBackendName[];
  reaches: number[];
  out: string;
}

export type ParsedOutbreakArgs = { help: true } | { options: OutbreakOptions } | { error: string };

export function parseOutbreakArgs(argv: readonly string[]): ParsedOutbreakArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        backend: { type: 'string', default: 'both' },
        reach: { type: 'string', default: '10,100,1000' },
        out: { type: 'string', default: 'bench-results' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return { error: `${(error as Error).message}; see --help` };
  }
  if (values.help) return { help: true };
  const backends = { embedded: ['embedded'], aws: ['aws'], both: ['embedded', 'aws'] }[values.backend] as OutbreakBackendName[] | undefined;
  if (!backends) return { error: `--backend must be embedded, aws or both, got "${values.backend}"` };
  const reaches = values.reach.split(',').map((r) => Number(r.trim()));
  if (reaches.some((r) => !Number.isInteger(r) || r < 1 || r > 100_000)) return { error: `--reach must be whole numbers from 1 to 100000, comma-separated, got "${values.reach}"` };
  return { options: { backends, reaches, out: values.out } };
}
