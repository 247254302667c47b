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
  /** Per device: its exposure states and warnings, every case (the exposure ledger). */
  exposures: string;
  /** Tasks for the tracer; its stream feeds the tracer function. */
  tracingOutbox: string;
  /** Token windows the tracer judged relayed, for officials to review. */
  tokenFlags: string;
  batchReceipts: string;
  /** The Cognito identity adapter's SMS one-time codes (hashed), with expiry and attempt count. */
  signInChallenges: string;
  /** Rate-limit counters (sign-in, SMS budget, officials' codes), one item per counter and window. */
  rateLimits: string;
  /** Rotating refresh-token families: generation, hashed secret, sealed Cognito refresh token. */
  refreshFamilies: string;
  /** Officials' actions (who, when, how many): no patient data. */
  auditLog: string;
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
  /** The analytics pseudonym keys, one per analytics index and week, expiring with its records. */
  analyticsKeys: string;
}

export const TTL_ATTRIBUTE = 'ttl';
/** Sparse index of device-number items that carry `erasedAt`: only erased numbers appear in it. */
export const ERASED_NUMBERS_INDEX = 'erased';
/** Sparse index of the devices items that are erasure markers (they carry `erasedUntil`). */
export const ERASED_SUBJECTS_INDEX = 'erased-subjects';
export const CASES_BY_DEVICE_INDEX = 'by-device';
/** Sparse index of the codes a device redeemed (they carry `usedBy`). */
export const CODES_BY_USER_INDEX = 'by-user';
export const REFRESH_FAMILIES_BY_SUBJECT_INDEX = 'by-subject';
export const DEDICATED_BY_NUMBER_INDEX = 'by-number';

export function dynamoTableNames(prefix: string): DynamoTableNames {
  return {
    tokenIssuances: `${prefix}token-issuances`,
    devices: `${prefix}devices`,
    deviceNumbers: `${prefix}device-numbers`,
    verificationCodes: `${prefix}verification-codes`,
    infectionCases: `${prefix}infection-cases`,
    exposures: `${prefix}exposures`,
    tracingOutbox: `${prefix}tracing-outbox`,
    tokenFlags: `${prefix}token-flags`,
    batchReceipts: `${prefix}batch-receipts`,
    signInChallenges: `${prefix}sign-in-challenges`,
    rateLimits: `${prefix}rate-limits`,
    refreshFamilies: `${prefix}refresh-families`,
    auditLog: `${prefix}audit-log`,
    dedicatedDevices: `${prefix}dedicated-devices`,
    relayBatches: `${prefix}relay-batches`,
    relayEnvelopes: `${prefix}relay-envelopes`,
    relayCounters: `${prefix}relay-counters`,
    ownerAlerts: `${prefix}owner-alerts`,
    analyticsKeys: `${prefix}analytics-keys`,
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
 * Every table holds personal or health data (device subjects and numbers, hashed phone numbers,
 * codes, cases, exposures, relay records) or keys to it, so every one has TTL on: the adapters set
 * `ttl` where a retention period applies, and the retention purge covers what has none yet.
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
      AttributeDefinitions: [{ AttributeName: 'subject', AttributeType: S }, { AttributeName: 'erasedUntil', AttributeType: N }],
      KeySchema: [{ AttributeName: 'subject', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: ERASED_SUBJECTS_INDEX, KeySchema: [{ AttributeName: 'erasedUntil', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table('deviceNumbers', {
      AttributeDefinitions: [{ AttributeName: 'number', AttributeType: N }, { AttributeName: 'erasedAt', AttributeType: N }],
      KeySchema: [{ AttributeName: 'number', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: ERASED_NUMBERS_INDEX, KeySchema: [{ AttributeName: 'erasedAt', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table('verificationCodes', {
      AttributeDefinitions: [{ AttributeName: 'codeHash', AttributeType: S }, { AttributeName: 'usedBy', AttributeType: N }],
      KeySchema: [{ AttributeName: 'codeHash', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: CODES_BY_USER_INDEX, KeySchema: [{ AttributeName: 'usedBy', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table('infectionCases', {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: S }, { AttributeName: 'device', AttributeType: N }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: CASES_BY_DEVICE_INDEX, KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table('exposures', {
      AttributeDefinitions: [{ AttributeName: 'device', AttributeType: N }],
      KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }],
    }),
    table('tracingOutbox', {
      AttributeDefinitions: [{ AttributeName: 'key', AttributeType: S }],
      KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
    table('tokenFlags', {
      AttributeDefinitions: [{ AttributeName: 'device', AttributeType: N }, { AttributeName: 'windowStartMinute', AttributeType: N }],
      KeySchema: [{ AttributeName: 'device', KeyType: 'HASH' }, { AttributeName: 'windowStartMinute', KeyType: 'RANGE' }],
    }),
    table('batchReceipts', {
      // By reporter, so that erasing a device finds its receipts with one query.
      AttributeDefinitions: [{ AttributeName: 'reporter', AttributeType: N }, { AttributeName: 'dedupKey', AttributeType: S }],
      KeySchema: [{ AttributeName: 'reporter', KeyType: 'HASH' }, { AttributeName: 'dedupKey', KeyType: 'RANGE' }],
    }),
    table('signInChallenges', {
      AttributeDefinitions: [{ AttributeName: 'challengeId', AttributeType: S }],
      KeySchema: [{ AttributeName: 'challengeId', KeyType: 'HASH' }],
    }),
    table('rateLimits', {
      AttributeDefinitions: [{ AttributeName: 'key', AttributeType: S }],
      KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
    }),
    table('refreshFamilies', {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: S }, { AttributeName: 'subject', AttributeType: S }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: REFRESH_FAMILIES_BY_SUBJECT_INDEX, KeySchema: [{ AttributeName: 'subject', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    table('analyticsKeys', {
      AttributeDefinitions: [{ AttributeName: 'family', AttributeType: S }, { AttributeName: 'week', AttributeType: N }],
      KeySchema: [{ AttributeName: 'family', KeyType: 'HASH' }, { AttributeName: 'week', KeyType: 'RANGE' }],
    }),
    table('auditLog', {
      AttributeDefinitions: [{ AttributeName: 'actor', AttributeType: S }, { AttributeName: 'entry', AttributeType: S }],
      KeySchema: [{ AttributeName: 'actor', KeyType: 'HASH' }, { AttributeName: 'entry', KeyType: 'RANGE' }],
    }),
    // Holds the owner's (sealed) phone number: expires with the registration's keepUntil.
    table('dedicatedDevices', {
      AttributeDefinitions: [{ AttributeName: 'deviceId', AttributeType: S }, { AttributeName: 'deviceNumber', AttributeType: N }],
      KeySchema: [{ AttributeName: 'deviceId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: DEDICATED_BY_NUMBER_INDEX, KeySchema: [{ AttributeName: 'deviceNumber', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
    // Items keyed (deviceId, seq): an accepted batch at its seq, or a gap at its first missing seq.
    table('relayBatches', {
      AttributeDefinitions: [{ AttributeName: 'deviceId', AttributeType: S }, { AttributeName: 'seq', AttributeType: N }],
      KeySchema: [{ AttributeName: 'deviceId', KeyType: 'HASH' }, { AttributeName: 'seq', KeyType: 'RANGE' }],
    }),
    table('relayEnvelopes', { AttributeDefinitions: [{ AttributeName: 'envelopeHash', AttributeType: 'B' }], KeySchema: [{ AttributeName: 'envelopeHash', KeyType: 'HASH' }] }),
    table('relayCounters', {
      AttributeDefinitions: [{ AttributeName: 'relay', AttributeType: S }, { AttributeName: 'outcome', AttributeType: S }],
      KeySchema: [{ AttributeName: 'relay', KeyType: 'HASH' }, { AttributeName: 'outcome', KeyType: 'RANGE' }],
    }),
    // Items `alert#<key>` (one per notification) and `phone#<keyed hash>` (the rate window); both hold a phone-derived key.
    table('ownerAlerts', { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: S }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
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
