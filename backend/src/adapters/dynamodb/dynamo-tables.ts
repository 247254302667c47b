import {
  CreateTableCommand,
  DeleteTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB tables behind the AWS adapters, named from one prefix. These definitions are the
 * single source for the local services, the adapter tests and infra's CDK tables (keys, indexes,
 * streams, TTL, point-in-time recovery), so a table added here is deployed as defined.
 * Times are epoch milliseconds; `ttl` attributes are epoch seconds for DynamoDB's TTL.
 */
export interface DynamoTableNames {
  tokenIssuances: string;
  devices: string;
  deviceNumbers: string;
  verificationCodes: string;
  infectionCases: string;
  notifications: string;
  batchReceipts: string;
  /** The Cognito identity adapter's SMS one-time codes (hashed), with expiry and attempt count. */
  signInChallenges: string;
}

export const TTL_ATTRIBUTE = 'ttl';
/** Sparse index of device-number items that carry `erasedAt`: only erased numbers appear in it. */
export const ERASED_NUMBERS_INDEX = 'erased';
export const CASES_BY_DEVICE_INDEX = 'by-device';
export const NOTIFICATIONS_BY_DEVICE_INDEX = 'by-device';
export const NOTIFICATIONS_BY_DEGREE_INDEX = 'by-degree';

export function dynamoTableNames(prefix: string): DynamoTableNames {
  return {
    tokenIssuances: `${prefix}token-issuances`,
    devices: `${prefix}devices`,
    deviceNumbers: `${prefix}device-numbers`,
    verificationCodes: `${prefix}verification-codes`,
    infectionCases: `${prefix}infection-cases`,
    notifications: `${prefix}notifications`,
    batchReceipts: `${prefix}batch-receipts`,
    signInChallenges: `${prefix}sign-in-challenges`,
  };
}

export interface TableDefinition {
  /** Which of DynamoTableNames this is. */
  name: keyof DynamoTableNames;
  /** Keys, indexes, billing and (where tracing reads changes) `StreamSpecification`. */
  input: CreateTableCommandInput;
  /** DynamoDB TTL on the `ttl` attribute (epoch seconds): items carrying it expire. */
  ttl: boolean;
  /** Holds personal or health data: TTL must be on and erasure must reach it. */
  personalData: boolean;
  /** Continuous backups (restore to any second of the last 35 days). */
  pointInTimeRecovery: boolean;
}

const N = 'N' as const;
const S = 'S' as const;

/**
 * Every table holds personal or health data (device subjects and numbers, phone numbers, codes,
 * cases, notifications), so every one has TTL on: the adapters set `ttl` where a retention period
 * applies, and the retention purge covers what has none yet.
 */
export function dynamoTableDefinitions(names: DynamoTableNames): TableDefinition[] {
  const table = (name: keyof DynamoTableNames, rest: Omit<CreateTableCommandInput, 'TableName' | 'BillingMode'>): TableDefinition => ({
    name,
    input: { TableName: names[name], BillingMode: 'PAY_PER_REQUEST', ...rest },
    ttl: true,
    personalData: true,
    pointInTimeRecovery: true,
  });
  return [
    table('tokenIssuances', {
      AttributeDefinitions: [{ AttributeName: 'device', AttributeType: N }, { AttributeName: 'windowStart', AttributeType: N }],
      KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }, { AttributeName: 'windowStart', KeyType: 'RANGE' }],
    }),
    table('devices', {
      AttributeDefinitions: [{ AttributeName: 'subject', AttributeType: S }],
      KeySchema: [{ AttributeName: 'subject', KeyType: 'HASH' }],
    }),
    table('deviceNumbers', {
      AttributeDefinitions: [{ AttributeName: 'number', AttributeType: N }, { AttributeName: 'erasedAt', AttributeType: N }],
      KeySchema: [{ AttributeName: 'number', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: ERASED_NUMBERS_INDEX, KeySchema: [{ AttributeName: 'erasedAt', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table('verificationCodes', {
      AttributeDefinitions: [{ AttributeName: 'codeHash', AttributeType: S }],
      KeySchema: [{ AttributeName: 'codeHash', KeyType: 'HASH' }],
    }),
    table('infectionCases', {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: S }, { AttributeName: 'device', AttributeType: N }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: CASES_BY_DEVICE_INDEX, KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table('notifications', {
      AttributeDefinitions: [
        { AttributeName: 'caseId', AttributeType: S },
        { AttributeName: 'device', AttributeType: N },
        { AttributeName: 'issuedAt', AttributeType: N },
        { AttributeName: 'degree', AttributeType: N },
        { AttributeName: 'exposedAt', AttributeType: N },
      ],
      // One item per (case, device): the key itself makes a second notification impossible.
      KeySchema: [{ AttributeName: 'caseId', KeyType: 'HASH' }, { AttributeName: 'device', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: NOTIFICATIONS_BY_DEVICE_INDEX,
          KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }, { AttributeName: 'issuedAt', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: NOTIFICATIONS_BY_DEGREE_INDEX,
          KeySchema: [{ AttributeName: 'degree', KeyType: 'HASH' }, { AttributeName: 'exposedAt', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
    table('batchReceipts', {
      AttributeDefinitions: [{ AttributeName: 'dedupKey', AttributeType: S }],
      KeySchema: [{ AttributeName: 'dedupKey', KeyType: 'HASH' }],
    }),
    table('signInChallenges', {
      AttributeDefinitions: [{ AttributeName: 'challengeId', AttributeType: S }],
      KeySchema: [{ AttributeName: 'challengeId', KeyType: 'HASH' }],
    }),
  ];
}

/** Creates every table (an existing one is left as it is) and turns TTL on where the table has it. */
export async function createDynamoTables(client: DynamoDBClient, names: DynamoTableNames): Promise<void> {
  await Promise.all(
    dynamoTableDefinitions(names).map(async ({ input, ttl }) => {
      try {
        await client.send(new CreateTableCommand(input));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        return;
      }
      if (ttl) {
        await client.send(
          new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
        );
      }
    }),
  );
}

export async function deleteDynamoTables(client: DynamoDBClient, names: DynamoTableNames): Promise<void> {
  await Promise.all(
    Object.values(names).map(async (TableName: string) => {
      try {
        await client.send(new DeleteTableCommand({ TableName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }),
  );
}

/** Epoch seconds for a TTL attribute. */
export function ttlSeconds(at: Date | number): number {
  return Math.ceil((typeof at === 'number' ? at : at.getTime()) / 1000);
}
