import * as z from 'zod';
import { daysToMs, minutesToMs } from '../domain/time.js';
import type { ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import { maxNotifiedDegree } from '../domain/exposure/exposure-policy.js';
import { parseAwsEnv, toAwsConfig, type AwsConfig } from './aws-config.js';
import { commaList, ConfigError, describeEnvIssues, E164, flag, integer, probability } from './env-schema.js';

/** Every setting the handlers and the local stack read, with defaults; see README "Configuration". */
const envSchema = z.object({
  BACKEND: z.string().trim().toLowerCase().pipe(z.enum(['embedded', 'aws'], { error: 'must be embedded or aws' })).optional().default('embedded'),
  PORT: integer(3000, { min: 0, max: 65535 }),
  HOST: z.string().trim().min(1).optional().default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).optional().default('./data'),
  LOG_LEVEL: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']))
    .optional()
    .default('INFO'),
  TOKEN_TTL_MINUTES: integer(180, { min: 1, max: 1440 }),
  TOKEN_GRACE_MINUTES: integer(15, { min: 0, max: 240 }),
  TOKEN_KEYS: z.string().optional(),
  TOKEN_KEYS_FILE: z.string().optional(),
  EXPOSURE_MIN_MINUTES: integer(15, { min: 0, max: 1440 }),
  EXPOSURE_MIN_RSSI: integer(-75, { min: -127, max: 20 }),
  LOOKBACK_DAYS: integer(14, { min: 1, max: 60 }),
  HOP_PROBABILITY: probability(1 / 3, { exclusiveOfOne: true }),
  MIN_NOTIFY_PROBABILITY: probability(0.1),
  ENCOUNTER_GAP_MINUTES: integer(5, { min: 0, max: 120 }),
  INFECTIOUS_DAYS_BEFORE_ONSET: integer(2, { min: 0, max: 14 }),
  INFECTIOUS_DAYS_AFTER_REPORT: integer(10, { min: 0, max: 30 }),
  RETENTION_DAYS: integer(21, { min: 1, max: 365 }),
  VERIFICATION_CODE_TTL_HOURS: integer(24, { min: 1, max: 24 * 14 }),
  ACCESS_TOKEN_TTL_HOURS: integer(24, { min: 1, max: 24 * 30 }),
  OFFICIAL_PHONE_NUMBERS: commaList.pipe(z.array(z.string().regex(E164, 'each entry must be an E.164 phone number such as +447700900123'))),
  DEV_SMS_ECHO: flag,
  MAX_BODY_BYTES: integer(64 * 1024, { min: 1024, max: 6 * 1024 * 1024 }),
  QUEUE_VISIBILITY_TIMEOUT_SECONDS: integer(30, { min: 1, max: 43_200 }),
  QUEUE_MAX_RECEIVES: integer(5, { min: 1, max: 1000 }),
  POLL_BATCH_SIZE: integer(100, { min: 1, max: 10_000 }),
  POLL_INTERVAL_MS: integer(25, { min: 1, max: 60_000 }),
  SETS_REFRESH_SECONDS: integer(30, { min: 1, max: 3600 }),
  PURGE_INTERVAL_MINUTES: integer(60, { min: 1, max: 1440 }),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).optional().default('FULL'),
  POWERTOOLS_METRICS_NAMESPACE: z.string().trim().min(1).optional(),
  POWERTOOLS_SERVICE_NAME: z.string().trim().min(1).optional().default('proxitrace'),
});

export type BackendEnv = z.infer<typeof envSchema>;

export interface BackendConfig {
  env: BackendEnv;
  /** Which adapters the process is built from: SQLite + local identity, or the AWS services. */
  backend: 'embedded' | 'aws';
  /** Only with BACKEND=aws. */
  aws?: AwsConfig | undefined;
  port: number;
  host: string;
  dataDir: string;
  logLevel: BackendEnv['LOG_LEVEL'];
  tokenTtlMinutes: number;
  tokenGraceMs: number;
  exposurePolicy: ExposurePolicy;
  retentionMs: number;
  verificationCodeTtlMs: number;
  accessTokenTtlSeconds: number;
  officialPhoneNumbers: ReadonlySet<string>;
  devSmsEcho: boolean;
  maxBodyBytes: number;
  queue: { visibilityTimeoutSeconds: number; maxReceives: number; pollBatchSize: number; pollIntervalMs: number };
  setsRefreshMs: number;
  purgeIntervalMs: number;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** CloudWatch metrics (EMF on stdout) only with a namespace: Lambda sets one, local stacks do not by default. */
  metrics: { namespace?: string | undefined; service: string };
}

/** Reads and checks the whole configuration, reporting every problem at once. */
export function loadBackendConfig(env: Record<string, string | undefined> = process.env): BackendConfig {
  const defined = pickDefined(env);
  const parsed = envSchema.safeParse(defined);
  // BACKEND=aws needs its endpoints and names; their problems are reported with the others.
  const wantsAws = (defined.BACKEND ?? '').trim().toLowerCase() === 'aws';
  const aws = wantsAws ? parseAwsEnv(defined) : undefined;
  const issues = [...(parsed.error?.issues ?? []), ...(aws?.issues ?? [])];
  if (!parsed.success || issues.length > 0) throw new ConfigError(describeEnvIssues(new z.ZodError(issues), env));
  const e = parsed.data;
  const exposurePolicy: ExposurePolicy = {
    minDurationMs: minutesToMs(e.EXPOSURE_MIN_MINUTES),
    minRssi: e.EXPOSURE_MIN_RSSI,
    lookbackMs: daysToMs(e.LOOKBACK_DAYS),
    hopProbability: e.HOP_PROBABILITY,
    minNotifyProbability: e.MIN_NOTIFY_PROBABILITY,
    encounterGapMs: minutesToMs(e.ENCOUNTER_GAP_MINUTES),
    infectiousBeforeOnsetMs: daysToMs(e.INFECTIOUS_DAYS_BEFORE_ONSET),
    infectiousAfterReportMs: daysToMs(e.INFECTIOUS_DAYS_AFTER_REPORT),
  };
  if (maxNotifiedDegree(exposurePolicy) === 0) {
    throw new ConfigError(
      `Invalid configuration:\n  MIN_NOTIFY_PROBABILITY (${e.MIN_NOTIFY_PROBABILITY}): is above HOP_PROBABILITY (${e.HOP_PROBABILITY}), so nobody would ever be notified`,
    );
  }
  return {
    env: e,
    backend: e.BACKEND,
    aws: aws?.data ? toAwsConfig(aws.data) : undefined,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    tokenTtlMinutes: e.TOKEN_TTL_MINUTES,
    tokenGraceMs: minutesToMs(e.TOKEN_GRACE_MINUTES),
    exposurePolicy,
    retentionMs: daysToMs(e.RETENTION_DAYS),
    verificationCodeTtlMs: e.VERIFICATION_CODE_TTL_HOURS * 3_600_000,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_HOURS * 3600,
    officialPhoneNumbers: new Set(e.OFFICIAL_PHONE_NUMBERS),
    devSmsEcho: e.DEV_SMS_ECHO,
    maxBodyBytes: e.MAX_BODY_BYTES,
    queue: {
      visibilityTimeoutSeconds: e.QUEUE_VISIBILITY_TIMEOUT_SECONDS,
      maxReceives: e.QUEUE_MAX_RECEIVES,
      pollBatchSize: e.POLL_BATCH_SIZE,
      pollIntervalMs: e.POLL_INTERVAL_MS,
    },
    setsRefreshMs: e.SETS_REFRESH_SECONDS * 1000,
    purgeIntervalMs: e.PURGE_INTERVAL_MINUTES * 60_000,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    metrics: { namespace: e.POWERTOOLS_METRICS_NAMESPACE, service: e.POWERTOOLS_SERVICE_NAME },
  };
}

/** Empty strings count as unset, as a shell `FOO= npm start` means. */
function pickDefined(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}
