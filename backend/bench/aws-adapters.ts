import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Client } from '@opensearch-project/opensearch';
import { parseArgs } from 'node:util';
import { DynamoTokenRegistry } from '../src/adapters/dynamodb/dynamo-token-registry.js';
import { createDynamoTables, dynamoTableNames } from '../src/adapters/dynamodb/dynamo-tables.js';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../src/adapters/search/contact-indices.js';
import { ensureContactIndices } from '../src/adapters/search/opensearch-indices.js';
import { OpenSearchContactStore } from '../src/adapters/search/opensearch-contact-store.js';
import { SqsContactQueue } from '../src/adapters/sqs/sqs-contact-queue.js';
import { contactQueueNames, createContactQueues } from '../src/adapters/sqs/sqs-queues.js';
import { contactId, type Contact } from '../src/domain/contacts/contact.js';
import { startLocalServices } from '../../infra/local-services/start-local-services.js';

const HELP = `Usage: npm run bench:aws -- [--concurrency N] [--duration S]

Starts DynamoDB Local, ElasticMQ and OpenSearch (npm run services' code), then measures the AWS
adapters one at a time, closed loop with N concurrent callers:
  enqueue        SqsContactQueue.enqueue (receipt put + SendMessage + receipt update)
  recordIssued   DynamoTokenRegistry.recordIssued, 4 windows per call
  applyBatch     OpenSearchContactStore.applyBatch, 50 contacts per batch
Local engines on a shared 2-core machine: figures are for comparing changes, not for sizing AWS.`;

const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '16' }, duration: { type: 'string', default: '5' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const concurrency = Number(values.concurrency);
const durationMs = Number(values.duration) * 1000;

/** Calls `operation` from `concurrency` loops for `durationMs`; returns calls/s and latency percentiles. */
async function measure(name: string, operation: (i: number) => Promise<unknown>): Promise<void> {
  const latencies: number[] = [];
  const end = Date.now() + durationMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const started = performance.now();
        await operation(next++);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  console.log(`${name.padEnd(14)} ${(latencies.length / (durationMs / 1000)).toFixed(0).padStart(6)} calls/s   p50 ${at(0.5)} ms   p99 ${at(0.99)} ms`);
}

const contactsOf = (batch: number): Contact[] =>
  Array.from({ length: 50 }, (_, i) => {
    const [low, high] = [batch * 100 + i + 1, batch * 100 + i + 1_000_000];
    const window = 29_400_000 + (batch % 24) * 180;
    return { id: contactId(low, high, window), deviceLow: low, deviceHigh: high, windowStartMinute: window, intervals: [{ heardBy: 'low', start: window * 60_000, end: window * 60_000 + 600_000, sightings: 20, rssi: -60, rssiMax: -55 }] };
  });

const services = await startLocalServices({ only: ['dynamodb', 'sqs', 'opensearch'], ports: 'free', prefix: 'bench-', progress: (m) => console.log(`  ${m}`) });
try {
  const { region, credentials } = services.endpoints;
  const dynamo = new DynamoDBClient({ endpoint: services.endpoints.dynamodb!.endpoint, region, credentials: { ...credentials } });
  const doc = DynamoDBDocumentClient.from(dynamo);
  const sqs = new SQSClient({ endpoint: services.endpoints.sqs!.endpoint, region, credentials: { ...credentials } });
  const search = new Client({ node: services.endpoints.opensearch!.node });
  const tables = dynamoTableNames('bench-');
  const indices = contactIndexNames('bench-');
  const [urls] = await Promise.all([
    createContactQueues(sqs, contactQueueNames('bench-run-'), { visibilityTimeoutSeconds: 60, maxReceiveCount: 5 }),
    createDynamoTables(dynamo, tables),
    ensureContactIndices(search, indices, LOCAL_INDEX_SETTINGS),
  ]);
  const queue = new SqsContactQueue(sqs, doc, { ...urls, receiptsTable: tables.batchReceipts, receiptRetentionMs: 86_400_000 });
  const registry = new DynamoTokenRegistry(doc, tables.tokenIssuances);
  const store = new OpenSearchContactStore(search, indices);
  const body = JSON.stringify({ version: 1, observations: Array.from({ length: 50 }, () => ({ token: 'x'.repeat(22) })) });
  console.log(`\nconcurrency ${concurrency}, ${durationMs / 1000} s each`);
  await measure('enqueue', (i) => queue.enqueue(body, `${i + 1}:b`, `h${i}`, i + 1));
  await measure('recordIssued', (i) =>
    registry.recordIssued(Array.from({ length: 4 }, (_, w) => ({ device: i + 1, windowStart: new Date(w * 10_800_000), validUntil: new Date((w + 1) * 10_800_000), keyId: 1 }))),
  );
  await measure('applyBatch', (i) => store.applyBatch({ batchKey: `b:${i}`, reporter: i + 1, contacts: contactsOf(i), observationCount: 50 }));
  doc.destroy();
  dynamo.destroy();
  sqs.destroy();
  await search.close();
} finally {
  await services.stop();
}
