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
 * single source for the local services, the adapter tests and (later) the CDK stateful stack.
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
  /** Dedicated devices: key, sealed owner number, chain head (docs/RELAY.md). */
  dedicatedDevices: string;
  /** Accepted relay batches (seq → hash) and gaps, by device. */
  relayBatches: string;
  /** Hashes of sealed envelopes already received: the same bytes again are a replay. */
  relayEnvelopes: string;
  /** Deliveries per relay pseudonym and outcome. */
  relayCounters: string;
  /** Owners' SMS warnings (once per notification) and the per-number rate window. */
  ownerAlerts: string;
}

export const TTL_ATTRIBUTE = 'ttl';
/** Sparse index of device-number items that carry `erasedAt`: only erased numbers appear in it. */
export const ERASED_NUMBERS_INDEX = 'erased';
export const CASES_BY_DEVICE_INDEX = 'by-device';
export const NOTIFICATIONS_BY_DEVICE_INDEX = 'by-device';
export const NOTIFICATIONS_BY_DEGREE_INDEX = 'by-degree';
export const DEDICATED_BY_NUMBER_INDEX = 'by-number';

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
    dedicatedDevices: `${prefix}dedicated-devices`,
    relayBatches: `${prefix}relay-batches`,
    relayEnvelopes: `${prefix}relay-envelopes`,
    relayCounters: `${prefix}relay-counters`,
    ownerAlerts: `${prefix}owner-alerts`,
  };
}

interface TableDefinition {
  input: CreateTableCommandInput;
  ttl: boolean;
}

const N = 'N' as const;
const S = 'S' as const;

export function dynamoTableDefinitions(names: DynamoTableNames): TableDefinition[] {
  const table = (TableName: string, rest: Omit<CreateTableCommandInput, 'TableName' | 'BillingMode'>, ttl = false): TableDefinition => ({
    input: { TableName, BillingMode: 'PAY_PER_REQUEST', ...rest },
    ttl,
  });
  return [
    table(
      names.tokenIssuances,
      {
        AttributeDefinitions: [{ AttributeName: 'device', AttributeType: N }, { AttributeName: 'windowStart', AttributeType: N }],
        KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }, { AttributeName: 'windowStart', KeyType: 'RANGE' }],
      },
      true,
    ),
    table(names.devices, {
      AttributeDefinitions: [{ AttributeName: 'subject', AttributeType: S }],
      KeySchema: [{ AttributeName: 'subject', KeyType: 'HASH' }],
    }),
    table(names.deviceNumbers, {
      AttributeDefinitions: [{ AttributeName: 'number', AttributeType: N }, { AttributeName: 'erasedAt', AttributeType: N }],
      KeySchema: [{ AttributeName: 'number', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: ERASED_NUMBERS_INDEX, KeySchema: [{ AttributeName: 'erasedAt', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table(
      names.verificationCodes,
      {
        AttributeDefinitions: [{ AttributeName: 'codeHash', AttributeType: S }],
        KeySchema: [{ AttributeName: 'codeHash', KeyType: 'HASH' }],
      },
      true,
    ),
    table(names.infectionCases, {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: S }, { AttributeName: 'device', AttributeType: N }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: CASES_BY_DEVICE_INDEX, KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table(names.notifications, {
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
    table(
      names.batchReceipts,
      {
        AttributeDefinitions: [{ AttributeName: 'dedupKey', AttributeType: S }],
        KeySchema: [{ AttributeName: 'dedupKey', KeyType: 'HASH' }],
      },
      true,
    ),
    table(
      names.signInChallenges,
      {
        AttributeDefinitions: [{ AttributeName: 'challengeId', AttributeType: S }],
        KeySchema: [{ AttributeName: 'challengeId', KeyType: 'HASH' }],
      },
      true,
    ),
    // Holds the owner's (sealed) phone number: expires with the registration's keepUntil.
    table(
      names.dedicatedDevices,
      {
        AttributeDefinitions: [{ AttributeName: 'deviceId', AttributeType: S }, { AttributeName: 'deviceNumber', AttributeType: N }],
        KeySchema: [{ AttributeName: 'deviceId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          { IndexName: DEDICATED_BY_NUMBER_INDEX, KeySchema: [{ AttributeName: 'deviceNumber', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
      },
      true,
    ),
    // Items keyed (deviceId, seq): an accepted batch at its seq, or a gap at its first missing seq.
    table(
      names.relayBatches,
      {
        AttributeDefinitions: [{ AttributeName: 'deviceId', AttributeType: S }, { AttributeName: 'seq', AttributeType: N }],
        KeySchema: [{ AttributeName: 'deviceId', KeyType: 'HASH' }, { AttributeName: 'seq', KeyType: 'RANGE' }],
      },
      true,
    ),
    table(
      names.relayEnvelopes,
      { AttributeDefinitions: [{ AttributeName: 'envelopeHash', AttributeType: 'B' }], KeySchema: [{ AttributeName: 'envelopeHash', KeyType: 'HASH' }] },
      true,
    ),
    table(
      names.relayCounters,
      {
        AttributeDefinitions: [{ AttributeName: 'relay', AttributeType: S }, { AttributeName: 'outcome', AttributeType: S }],
        KeySchema: [{ AttributeName: 'relay', KeyType: 'HASH' }, { AttributeName: 'outcome', KeyType: 'RANGE' }],
      },
      true,
    ),
    // Items `alert#<key>` (one per notification) and `phone#<keyed hash>` (the rate window); both hold a phone-derived key.
    table(
      names.ownerAlerts,
      { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: S }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] },
      true,
    ),
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
