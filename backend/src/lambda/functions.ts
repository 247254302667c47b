import { dynamoTableNames, type DynamoTableNames } from '../adapters/dynamodb/dynamo-tables.js';
import type { SearchAccess } from '../adapters/search/search-access.js';
import type { RouteKey } from '../api/route-access.js';

/**
 * Every Lambda function of the AWS deployment: its entry file, what triggers it, its size and
 * what it may touch. The single source for infra/ (one NodejsFunction each, its trigger, its
 * environment and its IAM grants) and for `npm run bench:cold-start`. A new entry here is deployed,
 * granted, alarmed and benchmarked without touching either.
 *
 * `test/infra/stack.test.ts` proves the stack grants exactly these lists, and
 * `test/services/iam-grants-match-calls.test.ts` that they are what the handlers call: it runs every
 * entry on the local engines, records each AWS call, and fails on a call the role does not allow
 * and on a grant no call used (unless its path is named there).
 */
export type FunctionTrigger =
  /** An API Gateway route; `$default` takes whatever matches no route. */
  | { kind: 'http'; route: RouteKey | '$default' }
  /** The contact queue's SQS event source; batches above 10 need a batching window. */
  | { kind: 'queue'; queue: 'contacts'; batchSize: number; maxBatchingWindowSeconds: number }
  /** EventBridge Scheduler, every `everyMinutes`. */
  | { kind: 'schedule'; name: string; everyMinutes: number }
  /** A DynamoDB stream of one of the tables (the table's definition must declare the stream). */
  | { kind: 'table-stream'; table: keyof DynamoTableNames; batchSize: number; maxBatchingWindowSeconds: number }
  /** Runs once per deployment (and when its inputs change), as a CloudFormation custom resource. */
  | { kind: 'deploy'; step: 'search-setup' | 'relay-keys' }
  /** Secrets Manager rotation of the token keys. */
  | { kind: 'secret-rotation'; secret: 'token-keys' };

/** `read`: Get/Query/Scan; `write`: Put/Update/Delete; `read-write`: both; `describe`: table metadata only. */
export type TableAccess = 'read' | 'write' | 'read-write' | 'describe';

/** The deployment's queues: contact batches, the batches that failed, the tracing tasks that failed. */
export type QueueName = 'contacts' | 'contactDeadLetters' | 'tracingDeadLetters';
/** `send`: SendMessage(Batch); `consume`: Receive/Delete/ChangeVisibility; `stats`: GetQueueAttributes only. */
export type QueueAccess = 'send' | 'consume' | 'send-consume' | 'stats';

/**
 * The deployment's own secrets. Token keys: the contact token cipher (rotated). Relay keys: what opens
 * relayed batches, signs acknowledgements and seals owners' numbers. Phone hash: the key of the
 * opaque Cognito usernames and the rate-limit keys of phone numbers. A function without a secret runs
 * with `none`, which refuses to use it.
 */
export type SecretName = 'tokenKeys' | 'relayKeys' | 'phoneHash';
/** `read`: at cold start (token keys: and every refresh); `rotate`: the rotation steps; `initialise`: the first value. */
export type SecretAccess = 'read' | 'rotate' | 'initialise';

/** The Cognito calls that need IAM permission (the others are authorised by a token, an app client or a session). */
export const COGNITO_ADMIN_ACTIONS = [
  'AdminCreateUser',
  'AdminSetUserPassword',
  'AdminInitiateAuth',
  'AdminGetUser',
  'AdminListGroupsForUser',
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'AdminDeleteUser',
] as const;
export type CognitoAdminAction = (typeof COGNITO_ADMIN_ACTIONS)[number];

export interface FunctionAccess {
  tables?: Partial<Record<keyof DynamoTableNames, TableAccess>>;
  /** A queue trigger implies consuming that queue. */
  queues?: Partial<Record<QueueName, QueueAccess>>;
  search?: SearchAccess;
  /** Cognito admin calls on the device pool. */
  cognito?: readonly CognitoAdminAction[];
  /** SMS by Amazon SNS to phone numbers (sign-in codes, owners' warnings). */
  sms?: boolean;
  secrets?: Partial<Record<SecretName, SecretAccess>>;
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

type Size = Pick<FunctionSpec, 'memoryMb' | 'timeoutSeconds'>;
const API: Size = { memoryMb: 512, timeoutSeconds: 10 };
const SMALL: Size = { memoryMb: 256, timeoutSeconds: 3 };

const http = (id: string, route: RouteKey | '$default', description: string, access: FunctionAccess = {}, size: Size = API): FunctionSpec => ({
  id,
  entry: `${id}.ts`,
  description,
  trigger: { kind: 'http', route },
  ...size,
  access,
});

/** Who the caller is: the device of a verified access token, created on its first call (pre-created Cognito users): its number is claimed by a conditional write, never read. */
const DEVICE_CALLER = { devices: 'read-write', deviceNumbers: 'write' } as const satisfies FunctionAccess['tables'];
/** An official's role and second factor, checked in the directory (through a 30-second cache). */
const OFFICIAL_CHECKS = ['AdminListGroupsForUser', 'AdminGetUser'] as const satisfies readonly CognitoAdminAction[];
/** An SMS challenge under the sign-in limits (per number, per address, the SMS budget). */
const SMS_CHALLENGE = { signInChallenges: 'write', rateLimits: 'write' } as const satisfies FunctionAccess['tables'];
/** An answer to a challenge under the same limits. */
const CHALLENGE_ANSWER = { signInChallenges: 'read-write', rateLimits: 'read-write' } as const satisfies FunctionAccess['tables'];
/** Creating (or finding) the user behind a phone number and signing them in with a fresh password. */
const USER_SIGN_IN = ['AdminCreateUser', 'AdminSetUserPassword', 'AdminInitiateAuth'] as const satisfies readonly CognitoAdminAction[];
/** An official's own user: into the officials group while OFFICIAL_PHONE_NUMBERS lists the number, out of it once not; its MFA state read. */
const OFFICIAL_ROLE = ['AdminAddUserToGroup', 'AdminRemoveUserFromGroup', 'AdminGetUser'] as const satisfies readonly CognitoAdminAction[];

/** What an erasure (application/erase-device.ts) reaches: DELETE /v1/me and a dedicated device's erasure. */
const ERASE_TABLES = {
  ...DEVICE_CALLER,
  tokenIssuances: 'read-write',
  exposures: 'write',
  infectionCases: 'read-write',
  verificationCodes: 'read-write',
  tracingOutbox: 'read-write',
  tokenFlags: 'read-write',
  batchReceipts: 'read-write',
  refreshFamilies: 'read-write',
  analyticsKeys: 'read',
  // The pending sign-in challenges of the user's phone.
  signInChallenges: 'read-write',
} as const satisfies FunctionAccess['tables'];
/** … for a dedicated device, which never signs in or reports a case: no challenges, sessions or cases of its own to delete. */
const { signInChallenges: _noChallenges, ...ERASE_DEDICATED_TABLES } = { ...ERASE_TABLES, infectionCases: 'read', verificationCodes: 'read', refreshFamilies: 'read' } as const;
/** Another reporter's dead-lettered batch is put back without the device's observations; its dead-lettered tracing tasks are deleted. */
const ERASE_QUEUES = { contactDeadLetters: 'send-consume', tracingDeadLetters: 'consume' } as const satisfies FunctionAccess['queues'];

export const FUNCTIONS: readonly FunctionSpec[] = [
  http('request-sms-code', 'POST /v1/auth/sms', 'Starts a phone sign-in and sends the code by SMS', {
    tables: SMS_CHALLENGE,
    sms: true,
    secrets: { phoneHash: 'read' },
  }),
  http('verify-sms-code', 'POST /v1/auth/verify', 'Answers the SMS challenge; creates the device on first sign-in', {
    tables: { ...CHALLENGE_ANSWER, ...DEVICE_CALLER, refreshFamilies: 'write' },
    cognito: USER_SIGN_IN,
    secrets: { phoneHash: 'read' },
  }),
  http('refresh-session', 'POST /v1/auth/refresh', 'Turns a refresh token into the next access and refresh tokens', {
    tables: { refreshFamilies: 'read-write' },
    cognito: ['AdminInitiateAuth'],
  }),
  http('request-official-sms-code', 'POST /v1/auth/official/sms', "Starts an official's sign-in: an SMS code, if the number is an official's", {
    tables: SMS_CHALLENGE,
    sms: true,
    secrets: { phoneHash: 'read' },
  }),
  http('enrol-official-totp', 'POST /v1/auth/official/totp', "Enrols an official's authenticator (once), after the SMS code", {
    tables: CHALLENGE_ANSWER,
    cognito: [...USER_SIGN_IN, ...OFFICIAL_ROLE],
    secrets: { phoneHash: 'read' },
  }),
  http('verify-official', 'POST /v1/auth/official/verify', 'Signs an official in: SMS code and authenticator code', {
    tables: { ...CHALLENGE_ANSWER, refreshFamilies: 'write' },
    cognito: [...USER_SIGN_IN, ...OFFICIAL_ROLE],
    secrets: { phoneHash: 'read' },
  }),
  http('register-tokens', 'POST /v1/tokens', 'Issues contact tokens for the coming windows', {
    tables: { ...DEVICE_CALLER, tokenIssuances: 'write' },
    secrets: { tokenKeys: 'read' },
  }),
  http('submit-contacts', 'POST /v1/contacts', 'Queues a batch of observations; 202 once durable', {
    tables: { ...DEVICE_CALLER, batchReceipts: 'read-write', rateLimits: 'write' },
    queues: { contacts: 'send' },
    secrets: { tokenKeys: 'read' },
  }),
  http('issue-verification-code', 'POST /v1/admin/verification-codes', 'Officials: a one-time code for a positive test', {
    tables: { verificationCodes: 'write', rateLimits: 'write', auditLog: 'write' },
    cognito: OFFICIAL_CHECKS,
  }),
  http('report-infection', 'POST /v1/infections', 'Redeems a verification code: the case and its index state, queued for tracing in one transaction', {
    tables: { ...DEVICE_CALLER, verificationCodes: 'read-write', infectionCases: 'read-write', exposures: 'read-write', tracingOutbox: 'write' },
  }),
  http('get-notifications', 'GET /v1/notifications', "The caller's exposure warnings", { tables: { ...DEVICE_CALLER, exposures: 'read' } }),
  http('acknowledge-notification', 'POST /v1/notifications/acknowledge', 'Records that the user saw one of their warnings (for the analytics)', {
    tables: { ...DEVICE_CALLER, exposures: 'read-write' },
  }),
  http('erase-me', 'DELETE /v1/me', "Erases everything about the caller's device", {
    tables: ERASE_TABLES,
    queues: ERASE_QUEUES,
    search: 'erase',
    cognito: ['AdminGetUser', 'AdminDeleteUser'],
    secrets: { tokenKeys: 'read' },
  }),
  http('get-token-flags', 'GET /v1/admin/token-flags', 'Officials: token windows that looked relayed or replayed', { tables: { tokenFlags: 'read' }, cognito: OFFICIAL_CHECKS }),
  http('get-stats', 'GET /v1/admin/stats', 'Officials: queue depths, stored totals, drops and refusals', {
    tables: { exposures: 'read', rateLimits: 'read', infectionCases: 'read', tracingOutbox: 'read' },
    queues: { contacts: 'stats', contactDeadLetters: 'stats', tracingDeadLetters: 'stats' },
    search: 'read',
    cognito: OFFICIAL_CHECKS,
  }),
  http('start-owner-verification', 'POST /v1/dedicated-devices/owner-verification', "A dedicated device's owner: an SMS code and a signed ticket", {
    tables: { ...DEVICE_CALLER, ...SMS_CHALLENGE },
    sms: true,
    secrets: { phoneHash: 'read', relayKeys: 'read' },
  }),
  http('register-dedicated-device', 'POST /v1/dedicated-devices', 'Registers a dedicated device for its verified owner; its token bundle and the backend keys', {
    tables: { ...DEVICE_CALLER, ...CHALLENGE_ANSWER, dedicatedDevices: 'read-write', tokenIssuances: 'write' },
    secrets: { phoneHash: 'read', relayKeys: 'read', tokenKeys: 'read' },
  }),
  http('renew-bundle', 'POST /v1/dedicated-devices/bundle', "A dedicated device's next token bundle, asked for with its own signature", {
    tables: { ...DEVICE_CALLER, dedicatedDevices: 'read-write', tokenIssuances: 'write' },
    secrets: { relayKeys: 'read', tokenKeys: 'read' },
  }),
  http('erase-dedicated-device', 'POST /v1/dedicated-devices/erasure', "Erases a dedicated device at its owner's signed request: what erase-me reaches, its owner alerts and registration", {
    tables: {
      ...ERASE_DEDICATED_TABLES,
      dedicatedDevices: 'read-write',
      relayBatches: 'read-write',
      ownerAlerts: 'read-write',
    },
    queues: ERASE_QUEUES,
    search: 'erase',
    // Finds that it has no user; never deletes one.
    cognito: ['AdminGetUser'],
    secrets: { tokenKeys: 'read' },
  }),
  http('relay-batches', 'POST /v1/relay/batches', "Sealed batches of dedicated devices from a relay: checked, queued, acknowledged", {
    tables: { ...DEVICE_CALLER, dedicatedDevices: 'read-write', relayBatches: 'read-write', relayEnvelopes: 'write', relayCounters: 'write', batchReceipts: 'read-write' },
    queues: { contacts: 'send' },
    secrets: { relayKeys: 'read', tokenKeys: 'read' },
  }),
  http('get-relay-operations', 'GET /v1/admin/relay-operations', 'Officials: relays and dedicated devices, pseudonymous', {
    tables: { dedicatedDevices: 'read', relayBatches: 'read', relayCounters: 'read', ownerAlerts: 'read' },
    cognito: OFFICIAL_CHECKS,
    secrets: { relayKeys: 'read' },
  }),
  http('health', 'GET /health', 'Liveness', {}, SMALL),
  http('readiness', 'GET /ready', 'Readiness: checks each dependency cheaply', {
    // Every table: the check describes them all (composition/aws.ts).
    tables: Object.fromEntries(Object.keys(dynamoTableNames('')).map((table) => [table, 'describe'])),
    queues: { contacts: 'stats', contactDeadLetters: 'stats', tracingDeadLetters: 'stats' },
    search: 'ping',
  }),
  http('openapi-document', 'GET /openapi.json', 'The OpenAPI 3.1 document', {}, SMALL),
  http('jwks', 'GET /.well-known/jwks.json', 'Local signing keys (Cognito publishes its own: 404 here)', {}, SMALL),
  http('fallback', '$default', 'Whatever matches no route: 404, or 405 with Allow', {}, SMALL),
  {
    id: 'process-contact-batches',
    entry: 'process-contact-batches.ts',
    description: 'Resolves tokens, stores contacts, queues tracing tasks for pairs that may pass exposure on',
    trigger: { kind: 'queue', queue: 'contacts', batchSize: 100, maxBatchingWindowSeconds: 1 },
    memoryMb: 1024,
    timeoutSeconds: 60,
    access: {
      tables: { deviceNumbers: 'read', exposures: 'read', tracingOutbox: 'write', rateLimits: 'write' },
      queues: { contactDeadLetters: 'send' },
      search: 'write',
      secrets: { tokenKeys: 'read' },
    },
  },
  {
    id: 'trace-exposures',
    entry: 'trace-exposures.ts',
    description: 'The tracer: runs the tracing outbox (spread, pair, deliver); warns owners of dedicated devices by SMS',
    trigger: { kind: 'table-stream', table: 'tracingOutbox', batchSize: 100, maxBatchingWindowSeconds: 1 },
    memoryMb: 1024,
    timeoutSeconds: 60,
    access: {
      tables: { exposures: 'read-write', tracingOutbox: 'write', tokenFlags: 'write', dedicatedDevices: 'read', ownerAlerts: 'write' },
      queues: { tracingDeadLetters: 'send' },
      search: 'read',
      sms: true,
      secrets: { relayKeys: 'read' },
    },
  },
  {
    id: 'purge-expired-data',
    entry: 'purge-expired-data.ts',
    description: 'Retention: whatever TTL has not removed yet, in every table, and whole contact indices',
    trigger: { kind: 'schedule', name: 'retention-purge', everyMinutes: 60 },
    memoryMb: 512,
    timeoutSeconds: 900,
    access: {
      tables: {
        tokenIssuances: 'read-write',
        devices: 'read-write',
        deviceNumbers: 'read-write',
        verificationCodes: 'read-write',
        infectionCases: 'read-write',
        exposures: 'read-write',
        tokenFlags: 'read-write',
        signInChallenges: 'read-write',
        rateLimits: 'read-write',
        refreshFamilies: 'read-write',
        auditLog: 'read-write',
        analyticsKeys: 'read-write',
        dedicatedDevices: 'read-write',
        relayBatches: 'read-write',
        relayEnvelopes: 'read-write',
        relayCounters: 'read-write',
        ownerAlerts: 'read-write',
      },
      // The contact batches and tracing tasks dead-lettered longer ago than their retention are deleted.
      queues: { contactDeadLetters: 'consume', tracingDeadLetters: 'consume' },
      search: 'retention',
    },
  },
  {
    id: 'run-analytics',
    entry: 'run-analytics.ts',
    description: "Officials' analytics: pseudonymous records and figures derived from the operational stores",
    trigger: { kind: 'schedule', name: 'analytics', everyMinutes: 60 },
    memoryMb: 1024,
    timeoutSeconds: 900,
    access: {
      tables: { deviceNumbers: 'read', infectionCases: 'read', exposures: 'read', analyticsKeys: 'read-write' },
      search: 'analytics',
    },
  },
  {
    id: 'setup-search',
    entry: 'setup-search.ts',
    description: 'Deploy time: index templates, retention policy and access roles of the search tier',
    trigger: { kind: 'deploy', step: 'search-setup' },
    memoryMb: 256,
    timeoutSeconds: 300,
    access: { search: 'admin' },
  },
  {
    id: 'init-relay-keys',
    entry: 'init-relay-keys.ts',
    description: 'Deploy time: writes the first relay key file into its secret; keeps one already there',
    trigger: { kind: 'deploy', step: 'relay-keys' },
    memoryMb: 256,
    timeoutSeconds: 30,
    access: { secrets: { relayKeys: 'initialise' } },
  },
  {
    id: 'rotate-token-keys',
    entry: 'rotate-token-keys.ts',
    description: 'Secrets Manager rotation: adds a token key that becomes the issuing key after a delay, drops retired ones',
    trigger: { kind: 'secret-rotation', secret: 'token-keys' },
    memoryMb: 256,
    timeoutSeconds: 30,
    access: { secrets: { tokenKeys: 'rotate' } },
  },
];

export function functionFor(route: RouteKey | '$default'): FunctionSpec | undefined {
  return FUNCTIONS.find((f) => f.trigger.kind === 'http' && f.trigger.route === route);
}

/** The one function of a deploy-time step. */
export function deployStep(step: Extract<FunctionTrigger, { kind: 'deploy' }>['step']): FunctionSpec {
  const found = FUNCTIONS.filter((f) => f.trigger.kind === 'deploy' && f.trigger.step === step);
  if (found.length !== 1) throw new Error(`the function registry must have exactly one deploy step ${step}, has ${found.length}`);
  return found[0]!;
}
