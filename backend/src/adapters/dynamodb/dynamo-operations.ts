import {
  BatchWriteCommand,
  QueryCommand,
  ScanCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

const BATCH_WRITE_LIMIT = 25;
const MAX_UNPROCESSED_RETRIES = 8;

const EXPRESSION_FIELDS = ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression', 'ConditionExpression', 'UpdateExpression'] as const;

/**
 * Fills ExpressionAttributeNames from the `#name` placeholders of the input's expressions, so every
 * attribute is written `#device` and none can clash with DynamoDB's reserved words.
 */
export function named<T extends object>(input: T): T {
  const fields = input as Record<string, unknown>;
  const names = { ...(fields.ExpressionAttributeNames as Record<string, string> | undefined) };
  for (const field of EXPRESSION_FIELDS) {
    const expression = fields[field];
    if (typeof expression !== 'string') continue;
    for (const [, name] of expression.matchAll(/#(\w+)/g)) names[`#${name}`] = name!;
  }
  return Object.keys(names).length > 0 ? { ...input, ExpressionAttributeNames: names } : input;
}

/** True for a failed ConditionExpression: the engine's "no" that adapters turn into a port outcome. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Every item of a query, across pages. */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(new QueryCommand(named({ ...input, ExclusiveStartKey })));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The summed count of a `Select: 'COUNT'` query, across pages. */
export async function countAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(new QueryCommand(named({ ...input, Select: 'COUNT', ExclusiveStartKey })));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** Every item of a scan, across pages. Only for small tables, sparse indexes and retention jobs. */
export async function scanAll(db: DynamoDBDocumentClient, input: ScanCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(new ScanCommand(named({ ...input, ExclusiveStartKey })));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * Deletes the items whose number `attribute` is below `limit` (or equal, with `inclusive`), reading
 * only their keys; returns how many. For retention jobs: a scan, not for hot paths.
 */
export async function deleteItemsBefore(
  db: DynamoDBDocumentClient,
  table: string,
  query: { attribute: string; limit: number; keys: readonly string[]; inclusive?: boolean },
): Promise<number> {
  const expired = await scanAll(db, {
    TableName: table,
    FilterExpression: `#${query.attribute} ${query.inclusive ? '<=' : '<'} :limit`,
    ProjectionExpression: query.keys.map((k) => `#${k}`).join(', '),
    ExpressionAttributeValues: { ':limit': query.limit },
  });
  return deleteKeys(db, table, expired);
}

/** Runs a conditional write: true when it was made, false when its condition failed. */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Writes the requests in batches of 25, retrying unprocessed items with backoff until all are written. */
export async function batchWriteAll(db: DynamoDBDocumentClient, table: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending: WriteRequest[] = requests.slice(start, start + BATCH_WRITE_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > MAX_UNPROCESSED_RETRIES) throw new Error(`${pending.length} writes to ${table} stayed unprocessed`);
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = result.UnprocessedItems?.[table] ?? [];
    }
  }
}

/** Deletes the items with these keys; returns how many keys were given. */
export async function deleteKeys(db: DynamoDBDocumentClient, table: string, keys: readonly Item[]): Promise<number> {
  await batchWriteAll(
    db,
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
  return keys.length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
