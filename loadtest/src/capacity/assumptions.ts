/**
 * Every input the capacity model uses. Nothing in the model is a hidden constant:
 * each field here is printed with the results and can be overridden by a CLI flag.
 */
export interface CapacityAssumptions {
  /** Registered users, each with one active device. */
  users: number;
  /** Proximity observations uploaded per person per day (households, workplaces, passers-by). */
  contactsPerUserPerDay: number;
  /** Share of a day's observations that repeat a pair already seen that day. */
  duplicateFraction: number;
  /** Hours per day in which contacts (and therefore uploads) happen. */
  activeHoursPerDay: number;
  /** Observations per upload request; the design uses batches of 50. */
  batchSize: number;
  /** Lifetime of one rotating device token, in minutes. */
  tokenTtlMinutes: number;
  /** Token windows fetched per POST /v1/tokens call (the API allows 1–8). */
  tokensPerCall: number;
  /** Bytes of one stored contact report. */
  contactRecordBytes: number;
  /** Per-item storage overhead DynamoDB bills on top of the attribute bytes. */
  storageOverheadBytesPerItem: number;
  /** Days a stored contact is kept. 365 reproduces the design's per-year figure. */
  retentionDays: number;
  /** DynamoDB write units per uploaded observation (conditional puts bill duplicates too). */
  writeUnitsPerObservation: number;
  /** GET /v1/notifications calls per device per day. */
  notificationPollsPerUserPerDay: number;
  /** Infection reports per million users per day. */
  infectionReportsPerMillionUsersPerDay: number;
  /** Messages per SQS → Lambda consumer invocation (event source batch size). */
  consumerBatchSize: number;
  /** SQS requests per message: one send plus batched receive and delete. */
  sqsRequestsPerMessage: number;
  /** Which API Gateway flavour fronts the API. */
  apiGateway: 'rest' | 'http';
  /** Memory of every Lambda function, in MB. */
  lambdaMemoryMb: number;
  /** Average billed duration of an API handler invocation, in ms. */
  apiLambdaDurationMs: number;
  /** Average billed duration of one consumer invocation (a whole SQS batch), in ms. */
  consumerLambdaDurationMs: number;
  /** Log bytes written to CloudWatch Logs per Lambda invocation. */
  logBytesPerInvocation: number;
  /** Days in a billing month. */
  daysPerMonth: number;
  /** Days one SMS sign-in lasts: the access token's life without refresh tokens, the refresh family's with them. */
  sessionDays: number;
}

/** The figures the design document uses; the capacity test reproduces its numbers from these. */
export const DESIGN_BASELINE: CapacityAssumptions = {
  users: 48_000_000,
  contactsPerUserPerDay: 100,
  duplicateFraction: 0.5,
  activeHoursPerDay: 12,
  batchSize: 50,
  tokenTtlMinutes: 180,
  tokensPerCall: 1,
  contactRecordBytes: 52,
  storageOverheadBytesPerItem: 100,
  retentionDays: 365,
  writeUnitsPerObservation: 1,
  notificationPollsPerUserPerDay: 4,
  infectionReportsPerMillionUsersPerDay: 100,
  consumerBatchSize: 10,
  sqsRequestsPerMessage: 1.2,
  apiGateway: 'rest',
  lambdaMemoryMb: 512,
  apiLambdaDurationMs: 30,
  consumerLambdaDurationMs: 250,
  logBytesPerInvocation: 300,
  daysPerMonth: 30,
  // No refresh tokens: a new SMS sign-in whenever Cognito's access token (at most a day) expires.
  sessionDays: 1,
};

/**
 * This project's choices: the device bridge prefetches 3 token windows per call (BRIDGE_TOKEN_PREFETCH,
 * assumed to refetch only when they run out), an HTTP API instead of a REST API, and the backend's
 * RETENTION_DAYS default of 21 instead of keeping contacts a year, a consumer that takes about 100
 * messages per invocation (SQS event source with a batching window), and rotating refresh tokens
 * (REFRESH_TOKEN_TTL_DAYS, 90): one SMS sign-in per device per 90 days instead of one a day.
 */
export const PROJECT_CHOICES: Partial<CapacityAssumptions> = {
  tokensPerCall: 3,
  apiGateway: 'http',
  retentionDays: 21,
  consumerBatchSize: 100,
  sessionDays: 90,
};
