import * as z from 'zod';

/**
 * Everything that differs between deployments, in one typed and validated object: sizes, capacities,
 * retention, thresholds. Constructs read it; none holds a literal of its own for these.
 */
const E164 = /^\+[1-9]\d{6,14}$/;
/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const throttle = z.object({ rateLimit: z.number().int().min(1), burstLimit: z.number().int().min(1) });

const openSearchDomain = z.object({
  kind: z.literal('opensearch-service'),
  /** e.g. OpenSearch_2.19 */
  engineVersion: z.string().regex(/^OpenSearch_\d+\.\d+$/),
  dataNodes: z.object({ instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/), count: z.number().int().min(1).max(80) }),
  /** Dedicated cluster managers; none for a one-node development domain. */
  masterNodes: z.object({ instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/), count: z.literal(3) }).optional(),
  availabilityZones: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  /** gp3 EBS per data node. */
  volumeGb: z.number().int().min(10).max(24_576),
  shards: z.number().int().min(1).max(64),
  replicas: z.number().int().min(0).max(8),
  refreshInterval: z.string().regex(/^\d+(ms|s|m)$/),
});

const elasticCloud = z.object({
  kind: z.literal('elastic-cloud'),
  /** The deployment's Elasticsearch endpoint, https. */
  endpoint: z.url({ protocol: /^https$/ }),
  /** Name of an existing Secrets Manager secret holding the encoded API key (created by hand: it never passes through the template). */
  apiKeySecretName: z.string().min(1),
  shards: z.number().int().min(1).max(64),
  replicas: z.number().int().min(0).max(8),
  refreshInterval: z.string().regex(/^\d+(ms|s|m)$/),
});

/** The windows AWS WAF's rate-based rules count over, in seconds. */
const WAF_WINDOWS = [60, 120, 300, 600] as const;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const edge = z.object({
  /**
   * Requests one client address may send to the sign-in paths (SMS challenges and code answers) in
   * `signInWindowSeconds` before the WAF answers 429 (AWS WAF's minimum is 10).
   */
  signInRequestsPerAddress: z.number().int().min(10).max(2_000_000_000),
  signInWindowSeconds: z.union(WAF_WINDOWS.map((w) => z.literal(w)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>, ...z.ZodLiteral<number>[]]),
  /** `block`: the AWS managed rule groups block what they match; `count`: they only count and log it (a soak before blocking). */
  managedRules: z.enum(['block', 'count']),
  /** Where CloudFront serves from (and bills at): PriceClass_100 is North America and Europe. */
  priceClass: z.enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All']),
  /**
   * The API's own names on the distribution, with an ACM certificate in us-east-1 (validated by the
   * agency's DNS, outside the stack): viewers then need TLS 1.2 or later. Without one, clients use the
   * distribution's *.cloudfront.net name, whose certificate CloudFront also offers over TLS 1.0 and 1.1.
   */
  domain: z
    .object({
      names: z.array(z.string().regex(HOSTNAME, 'a lower-case host name such as api.agency.example')).min(1),
      certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/, 'an ACM certificate ARN in us-east-1 (CloudFront takes certificates from there only)'),
    })
    .optional(),
});

export const stageConfigSchema = z
  .object({
    stage: z.string().regex(/^[a-z][a-z0-9]{1,9}$/),
    /** Resource names start with this (tables, queues, functions, indices). */
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}-$/),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
    /** prod keeps tables, pools, domain and secrets when the stack goes, and protects them against deletion. */
    keepData: z.boolean(),
    logRetentionDays: z.union(LOG_RETENTION_DAYS.map((d) => z.literal(d)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>, ...z.ZodLiteral<number>[]]),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
    tracing: z.enum(['active', 'pass-through']),
    /** Contacts, notifications and receipts are purged after this (backend RETENTION_DAYS). */
    retentionDays: z.number().int().min(1).max(365),
    api: z.object({
      /** Stage-wide default per route. */
      throttle,
      /** Tighter limits for the unauthenticated sign-in routes (each SMS costs money). */
      signInThrottle: throttle,
      /** Browser origins allowed by CORS; none: devices and bridges do not need CORS. */
      corsOrigins: z.array(z.url()),
    }),
    /** CloudFront in front of the API, and the WAF web ACL on it (in us-east-1, as CloudFront requires). */
    edge,
    consumer: z.object({
      /** Lambda's SQS event source maximum concurrency (2–1000): caps the write load on the search tier. */
      maxConcurrency: z.number().int().min(2).max(1000),
    }),
    tracer: z.object({
      /** Concurrent batches per shard of the tracing outbox's stream (1–10); tasks are independent and idempotent. */
      parallelizationFactor: z.number().int().min(1).max(10),
    }),
    queue: z.object({ maxReceives: z.number().int().min(1).max(100), retentionDays: z.number().int().min(1).max(14) }),
    search: z.discriminatedUnion('kind', [openSearchDomain, elasticCloud]),
    identity: z.object({
      /** Cognito hosted-UI domain prefix for the officials' Dashboards sign-in (globally unique per region). */
      dashboardsDomainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
      officialPhoneNumbers: z.array(z.string().regex(E164, 'each official number must be E.164')),
      /** Access tokens (the app client's AccessTokenValidity and the backend's ACCESS_TOKEN_TTL_HOURS). */
      accessTokenHours: z.number().int().min(1).max(24),
      /** Devices' sessions (REFRESH_TOKEN_TTL_DAYS); Cognito's refresh tokens are made to last as long. */
      refreshTokenDays: z.number().int().min(1).max(3650),
      officialSessionHours: z.number().int().min(1).max(24 * 7),
    }),
    sms: z.object({
      /** Countries sign-in codes and owners' warnings may go to (calling codes without +): SNS would send anywhere. */
      allowedCallingCodes: z.array(z.string().regex(/^[1-9]\d{0,3}$/, 'a calling code such as 44 (no +)')).min(1),
      /** The backend's own cap on sign-in SMS per hour, whole deployment (SMS_BUDGET_PER_HOUR). */
      budgetPerHour: z.number().int().min(1),
      senderId: z.string().regex(/^[A-Za-z0-9]{1,11}$/).optional(),
    }),
    tokenKeys: z.object({ rotationDays: z.number().int().min(1).max(365), refreshMinutes: z.number().int().min(1).max(60) }),
    alarms: z.object({
      /** Where alarm notifications go (an SNS e-mail subscription to confirm); none: the topic only. */
      email: z.email().optional(),
      oldestMessageAgeSeconds: z.number().int().min(60),
      serverErrorRatePercent: z.number().min(0.01).max(100),
      timeToNotifyP99Ms: z.number().int().min(100),
      /** Age of the newest tracing-outbox record the tracer has read: it falls behind. */
      tracerIteratorAgeSeconds: z.number().int().min(10),
    }),
  })
  .superRefine((c, ctx) => {
    if (c.search.kind === 'opensearch-service') {
      const { dataNodes, availabilityZones, replicas } = c.search;
      if (dataNodes.count % availabilityZones !== 0) ctx.addIssue({ code: 'custom', path: ['search', 'dataNodes', 'count'], message: `must be a multiple of availabilityZones (${availabilityZones})` });
      if (replicas >= dataNodes.count) ctx.addIssue({ code: 'custom', path: ['search', 'replicas'], message: `${replicas} replicas need more than ${dataNodes.count} data nodes` });
    }
  });

export type StageConfig = z.infer<typeof stageConfigSchema>;

/** Validates a stage's configuration, naming every problem at once. */
export function validateStageConfig(value: unknown, name: string): StageConfig {
  const parsed = stageConfigSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid stage configuration "${name}":\n${lines.join('\n')}`);
  }
  return parsed.data;
}
