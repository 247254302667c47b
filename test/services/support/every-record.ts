import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Client } from '@opensearch-project/opensearch';
import type { AwsBackend } from './adapter-backend.js';
import { localServices, type localAwsClients } from './aws-clients.js';

/** Every item of every table of this backend, every document of its indices, every message of its queues. */
export async function everyRecord(clients: Pick<ReturnType<typeof localAwsClients>, 'dynamo' | 'sqs'>, backend: AwsBackend): Promise<{ where: string; text: string; ttl?: number }[]> {
  const { dynamo, sqs } = clients;
  const records: { where: string; text: string; ttl?: number }[] = [];
  const { TableNames = [] } = await dynamo.send(new ListTablesCommand({}));
  const mine = new Set<string>(Object.values(backend.tables));
  for (const table of TableNames.filter((t) => mine.has(t))) {
    let ExclusiveStartKey: Record<string, never> | undefined;
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
      for (const item of page.Items ?? []) {
        const plain = unmarshall(item);
        records.push({ where: table, text: JSON.stringify(plain), ttl: plain.ttl as number | undefined });
      }
      ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
    } while (ExclusiveStartKey);
  }
  const search = new Client({ node: localServices().opensearch!.node });
  await search.indices.refresh({ index: `${backend.indices.prefix}*` });
  const { body } = await search.search({ index: `${backend.indices.prefix}*`, body: { size: 10_000, query: { match_all: {} } } });
  for (const hit of body.hits.hits) records.push({ where: hit._index ?? 'index', text: `${hit._id} ${JSON.stringify(hit._source)}` });
  await search.close();
  for (const queueUrl of [backend.urls.queueUrl, backend.urls.deadLetterQueueUrl, backend.urls.tracingDeadLetterQueueUrl]) {
    const seen: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }));
      if (Messages.length === 0) break;
      for (const m of Messages) records.push({ where: queueUrl, text: `${m.Body} ${JSON.stringify(m.MessageAttributes ?? {})}` });
      seen.push(...Messages.map((m) => m.ReceiptHandle!));
    }
    // Looking must not hide them from the purge that follows.
    for (const ReceiptHandle of seen) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle, VisibilityTimeout: 0 }));
  }
  return records;
}
