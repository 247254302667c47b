import { validateStageConfig, type StageConfig } from './stage-config.js';

/**
 * The stages. `dev`: one small search node, data thrown away with the stack, load-test sign-in on.
 * `prod`: the national design point (48 M users, ~2,222 uploads/s, ~111,000 contacts/s at peak;
 * see `npm run capacity`), three zones, data kept and protected.
 */
const STAGES = {
  dev: {
    stage: 'dev',
    prefix: 'proxitrace-dev-',
    region: 'eu-west-2',
    keepData: false,
    logRetentionDays: 14,
    logLevel: 'DEBUG',
    tracing: 'active',
    retentionDays: 21,
    api: { throttle: { rateLimit: 200, burstLimit: 400 }, signInThrottle: { rateLimit: 10, burstLimit: 20 }, corsOrigins: [] },
    edge: { signInRequestsPerAddress: 300, signInWindowSeconds: 300, managedRules: 'block', priceClass: 'PriceClass_100' },
    consumer: { maxConcurrency: 5 },
    tracer: { parallelizationFactor: 1 },
    queue: { maxReceives: 5, retentionDays: 4 },
    search: {
      kind: 'opensearch-service',
      engineVersion: 'OpenSearch_2.19',
      dataNodes: { instanceType: 't3.medium.search', count: 1 },
      availabilityZones: 1,
      volumeGb: 20,
      shards: 1,
      replicas: 0,
      refreshInterval: '1s',
    },
    identity: { dashboardsDomainPrefix: 'proxitrace-dev-officials', officialPhoneNumbers: [], accessTokenHours: 1, refreshTokenDays: 90, officialSessionHours: 12 },
    // A new account's SNS is in the SMS sandbox: only verified numbers receive codes.
    sms: { allowedCallingCodes: ['44'], budgetPerHour: 200 },
    tokenKeys: { rotationDays: 30, refreshMinutes: 10 },
    alarms: { oldestMessageAgeSeconds: 300, serverErrorRatePercent: 5, timeToNotifyP99Ms: 60_000, tracerIteratorAgeSeconds: 300 },
  },
  prod: {
    stage: 'prod',
    prefix: 'proxitrace-',
    region: 'eu-west-2',
    keepData: true,
    logRetentionDays: 90,
    logLevel: 'INFO',
    tracing: 'active',
    retentionDays: 21,
    // Peak: ~1,500 token calls/s (3 windows per call) and ~2,222 uploads/s, with headroom for bursts.
    api: { throttle: { rateLimit: 10_000, burstLimit: 20_000 }, signInThrottle: { rateLimit: 500, burstLimit: 1_000 }, corsOrigins: [] },
    // One address may spend the backend's whole per-address allowance (30 SMS and 150 answers an hour) within one
    // window and stay under the WAF's limit; a flood from one address stops at the edge, before it takes the sign-in
    // routes' shared API throttle from everyone else. Name the agency's domain (edge.domain) before launch: TLS 1.2+.
    edge: { signInRequestsPerAddress: 300, signInWindowSeconds: 300, managedRules: 'block', priceClass: 'PriceClass_100' },
    // ~2,222 messages/s at ~100 per invocation of ~0.5–1 s: ~20 busy at peak; 60 leaves room to drain a backlog.
    consumer: { maxConcurrency: 60 },
    // Tracing work grows with new cases and contacts of spreading devices, not with uploads; ten batches per shard drain a burst.
    tracer: { parallelizationFactor: 10 },
    queue: { maxReceives: 5, retentionDays: 4 },
    search: {
      kind: 'opensearch-service',
      engineVersion: 'OpenSearch_2.19',
      // ~111,000 contact upserts/s at peak; 21 days of 2.4 billion contacts a day at ~200 B, one replica, 25 % free: ~27 TB (npm run capacity).
      dataNodes: { instanceType: 'r7g.2xlarge.search', count: 12 },
      masterNodes: { instanceType: 'm7g.large.search', count: 3 },
      availabilityZones: 3,
      volumeGb: 2_300,
      shards: 12,
      replicas: 1,
      refreshInterval: '30s',
    },
    identity: { dashboardsDomainPrefix: 'proxitrace-officials', officialPhoneNumbers: [], accessTokenHours: 1, refreshTokenDays: 90, officialSessionHours: 12 },
    // 0.33 SMS per device per month with 90-day sessions: ~22,000 an hour on average at 48 M devices (npm run capacity), peaks above.
    sms: { allowedCallingCodes: ['44'], budgetPerHour: 60_000, senderId: 'Proxitrace' },
    tokenKeys: { rotationDays: 30, refreshMinutes: 10 },
    alarms: { oldestMessageAgeSeconds: 120, serverErrorRatePercent: 1, timeToNotifyP99Ms: 30_000, tracerIteratorAgeSeconds: 60 },
  },
} as const satisfies Record<string, StageConfig>;

export type StageName = keyof typeof STAGES;
export const STAGE_NAMES = Object.keys(STAGES) as StageName[];

/**
 * A stage's validated configuration; OFFICIAL_PHONE_NUMBERS in the deploying shell (comma-separated
 * E.164) adds officials without writing their numbers into the repository.
 */
export function stageConfig(name: string, env: Record<string, string | undefined> = process.env): StageConfig {
  if (!(name in STAGES)) throw new Error(`Unknown stage "${name}": use one of ${STAGE_NAMES.join(', ')}`);
  const base = STAGES[name as StageName];
  const extraOfficials = (env.OFFICIAL_PHONE_NUMBERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return validateStageConfig({ ...base, identity: { ...base.identity, officialPhoneNumbers: [...base.identity.officialPhoneNumbers, ...extraOfficials] } }, name);
}
