import type { DynamoTableNames } from '../adapters/dynamodb/dynamo-tables.js';
import type { SearchAccess } from '../adapters/search/search-access.js';
import type { RouteKey } from '../api/route-access.js';

/**
 * Every Lambda function of the AWS deployment: its entry file, what triggers it, its size and
 * what it may touch. The single source for infra/ (one NodejsFunction each, its trigger and its
 * IAM grants) and for `npm run bench:cold-start`. A new entry here is deployed, granted and
 * benchmarked without touching either; a new table or route only needs its line here.
 */
export type FunctionTrigger =
  | { kind: 'http'; route: RouteKey }
  /** The contact queue's SQS event source; batches above 10 need a batching window. */
  | { kind: 'queue'; queue: 'contacts'; batchSize: number; maxBatchingWindowSeconds: number }
  /** EventBridge Scheduler, every `everyMinutes`. */
  | { kind: 'schedule'; name: string; everyMinutes: number }
  /** A DynamoDB stream of one of the tables (the table's definition must declare the stream). */
  | { kind: 'table-stream'; table: keyof DynamoTableNames; batchSize: number; maxBatchingWindowSeconds: number }
  /** Runs once per deployment, as a CloudFormation custom resource. */
  | { kind: 'deploy' }
  /** Secrets Manager rotation of the token keys. */
  | { kind: 'secret-rotation'; secret: 'token-keys' };

/** `read`: Get/Query/Scan; `write`: Put/Update/Delete; `read-write`: both; `describe`: table metadata only. */
export type TableAccess = 'read' | 'write' | 'read-write' | 'describe';

export interface FunctionAccess {
  tables?: Partial<Record<keyof DynamoTableNames, TableAccess>>;
  /** `send`: enqueue; `stats`: queue attributes; `consume` is implied by a queue trigger. */
  queue?: 'send' | 'stats';
  /** The dead-letter queue: `send` (dead-letter with a reason) or `stats`. */
  deadLetterQueue?: 'send' | 'stats';
  search?: SearchAccess;
  /** Cognito admin calls: `sign-in` (create, group, password, admin auth) or `delete-user`. */
  userPool?: 'sign-in' | 'delete-user';
  /** SMS by Amazon SNS to phone numbers. */
  sms?: boolean;
  /** Reads the token key secret at cold start: only functions that issue or resolve tokens. */
  tokenKeys?: 'read' | 'rotate';
}

export interface FunctionSpec {
  /** Also the function name's suffix and its log group's. */
  id: string;
  /** File under backend/src/lambda/. */
  entry: string;
  description: string;
  trigger: FunctionTrigger;
  memoryMb: number;
  timeoutSeconds: number;
  access: FunctionAccess;
}

const API: Pick<FunctionSpec, 'memoryMb' | 'timeoutSeconds'> = { memoryMb: 512, timeoutSeconds: 10 };

const http = (id: string, route: RouteKey, description: string, access: FunctionAccess = {}, size: Pick<FunctionSpec, 'memoryMb' | 'timeoutSeconds'> = API): FunctionSpec => ({
  id,
  entry: `${id}.ts`,
  description,
  trigger: { kind: 'http', route },
  ...size,
  access,
});

const ALL_TABLES_DESCRIBE: FunctionAccess['tables'] = {
  tokenIssuances: 'describe',
  devices: 'describe',
  deviceNumbers: 'describe',
  verificationCodes: 'describe',
  infectionCases: 'describe',
  notifications: 'describe',
  batchReceipts: 'describe',
  signInChallenges: 'describe',
};

export const FUNCTIONS: readonly FunctionSpec[] = [
  http('request-sms-code', 'POST /v1/auth/sms', 'Starts a phone sign-in and sends the code by SMS', { tables: { signInChallenges: 'write' }, sms: true }),
  http('verify-sms-code', 'POST /v1/auth/verify', 'Answers the SMS challenge; creates the device on first sign-in', {
    tables: { signInChallenges: 'read-write', devices: 'read-write', deviceNumbers: 'read-write' },
    userPool: 'sign-in',
  }),
  http('register-tokens', 'POST /v1/tokens', 'Issues contact tokens for the coming windows', {
    tables: { devices: 'read', tokenIssuances: 'read-write' },
    tokenKeys: 'read',
  }),
  http('submit-contacts', 'POST /v1/contacts', 'Queues a batch of observations; 202 once durable', {
    tables: { devices: 'read', batchReceipts: 'read-write' },
    queue: 'send',
  }),
  http('issue-verification-code', 'POST /v1/admin/verification-codes', 'Officials: a one-time code for a positive test', {
    tables: { verificationCodes: 'write' },
  }),
  http('report-infection', 'POST /v1/infections', 'Redeems a verification code and notifies the contacts', {
    tables: { devices: 'read', deviceNumbers: 'read', verificationCodes: 'read-write', infectionCases: 'read-write', notifications: 'read-write' },
    search: 'read',
  }),
  http('get-notifications', 'GET /v1/notifications', "The caller's exposure notifications", { tables: { devices: 'read', notifications: 'read' } }),
  http('erase-me', 'DELETE /v1/me', "Erases everything about the caller's device", {
    tables: { devices: 'read-write', deviceNumbers: 'read-write', tokenIssuances: 'read-write', notifications: 'read-write', infectionCases: 'read-write' },
    search: 'erase',
    userPool: 'delete-user',
  }),
  http('get-stats', 'GET /v1/admin/stats', 'Officials: queue depth and stored totals', { queue: 'stats', deadLetterQueue: 'stats', search: 'read' }),
  http('health', 'GET /health', 'Liveness', {}, { memoryMb: 256, timeoutSeconds: 3 }),
  http('readiness', 'GET /ready', 'Readiness: checks each dependency cheaply', {
    tables: ALL_TABLES_DESCRIBE,
    queue: 'stats',
    deadLetterQueue: 'stats',
    search: 'ping',
  }),
  http('openapi-document', 'GET /openapi.json', 'The OpenAPI 3.1 document', {}, { memoryMb: 256, timeoutSeconds: 3 }),
  http('jwks', 'GET /.well-known/jwks.json', 'Local signing keys (Cognito publishes its own: 404 here)', {}, { memoryMb: 256, timeoutSeconds: 3 }),
  {
    id: 'process-contact-batches',
    entry: 'process-contact-batches.ts',
    description: 'Resolves tokens, stores contacts, notifies late exposures',
    trigger: { kind: 'queue', queue: 'contacts', batchSize: 100, maxBatchingWindowSeconds: 1 },
    memoryMb: 1024,
    timeoutSeconds: 60,
    access: {
      tables: { deviceNumbers: 'read', infectionCases: 'read', notifications: 'read-write' },
      deadLetterQueue: 'send',
      search: 'write',
      tokenKeys: 'read',
    },
  },
  {
    id: 'purge-expired-data',
    entry: 'purge-expired-data.ts',
    description: 'Retention: drops expired contacts, notifications, tokens, erased numbers, challenges',
    trigger: { kind: 'schedule', name: 'retention-purge', everyMinutes: 60 },
    memoryMb: 512,
    timeoutSeconds: 900,
    access: {
      tables: { notifications: 'read-write', tokenIssuances: 'read-write', deviceNumbers: 'read-write', signInChallenges: 'read-write' },
      search: 'retention',
    },
  },
  {
    id: 'setup-search',
    entry: 'setup-search.ts',
    description: 'Deploy time: index template, stored script, retention policy and access roles of the search tier',
    trigger: { kind: 'deploy' },
    memoryMb: 256,
    timeoutSeconds: 300,
    access: { search: 'admin' },
  },
  {
    id: 'rotate-token-keys',
    entry: 'rotate-token-keys.ts',
    description: 'Secrets Manager rotation: adds a token key that becomes the issuing key after a delay, drops retired ones',
    trigger: { kind: 'secret-rotation', secret: 'token-keys' },
    memoryMb: 256,
    timeoutSeconds: 30,
    access: { tokenKeys: 'rotate' },
  },
];

export function functionFor(route: RouteKey): FunctionSpec | undefined {
  return FUNCTIONS.find((f) => f.trigger.kind === 'http' && f.trigger.route === route);
}
