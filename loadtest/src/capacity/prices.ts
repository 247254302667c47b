/**
 * AWS list prices used by the cost model. These are ASSUMPTIONS, not live quotes: they are the public
 * on-demand list prices for us-east-1 as the authors knew them (see PRICES_AS_OF), with no free tier,
 * savings plan or negotiated discount. Override any of them with `--price key=value`.
 */
export const PRICES_REGION = 'us-east-1';
export const PRICES_AS_OF = '2025-06 (AWS public pricing pages; verify before quoting)';

/** A price applied per unit up to `upTo` units in the month, then the next tier. */
export interface PriceTier {
  upTo: number;
  price: number;
}

export interface PriceTable {
  /** API Gateway REST API, USD per million requests, tiered by monthly volume. */
  apiGatewayRestPerMillion: PriceTier[];
  /** API Gateway HTTP API, USD per million requests (512 KB units), tiered. */
  apiGatewayHttpPerMillion: PriceTier[];
  /** Lambda, USD per million invocations. */
  lambdaPerMillionRequests: PriceTier[];
  /** Lambda arm64, USD per GB-second. */
  lambdaPerGbSecond: PriceTier[];
  /** SQS standard queue, USD per million requests (64 KB chunks). */
  sqsPerMillionRequests: PriceTier[];
  /** DynamoDB on-demand, USD per million write request units. */
  dynamoPerMillionWrites: PriceTier[];
  /** DynamoDB on-demand, USD per million read request units. */
  dynamoPerMillionReads: PriceTier[];
  /** DynamoDB Standard table class, USD per GB-month stored. */
  dynamoPerGbMonth: PriceTier[];
  /** Cognito user pools (Lite tier), USD per monthly active user, tiered. */
  cognitoPerMau: PriceTier[];
  /** CloudWatch Logs ingestion, USD per GB. */
  logsPerGbIngested: PriceTier[];
  /** Amazon OpenSearch Service gp3 storage, USD per GB-month. */
  openSearchGp3PerGbMonth: PriceTier[];
  /** Amazon SNS transactional SMS, USD per message (to US numbers; other countries cost several times more). */
  snsSmsPerMessage: PriceTier[];
  /** AWS X-Ray, USD per million traces recorded. */
  xrayPerMillionTraces: PriceTier[];
  /** CloudWatch standard-resolution alarm, USD per alarm-month. */
  cloudwatchPerAlarm: PriceTier[];
  /** CloudWatch dashboard, USD per month (beyond three free). */
  cloudwatchPerDashboard: PriceTier[];
  /** CloudFront HTTPS requests, USD per million (United States and Europe, the edges of PriceClass_100). */
  cloudFrontHttpsPerMillion: PriceTier[];
  /** CloudFront data transfer out to the internet, USD per GB, tiered by monthly volume (United States and Europe). */
  cloudFrontDataOutPerGb: PriceTier[];
  /** CloudFront data transfer out to the origin (bodies and headers of POST, PUT, DELETE…), USD per GB (United States and Europe). */
  cloudFrontToOriginPerGb: PriceTier[];
  /** AWS WAF web ACL, USD per month. */
  wafPerWebAclMonth: PriceTier[];
  /** AWS WAF rule or AWS managed rule group in a web ACL, USD per month. */
  wafPerRuleMonth: PriceTier[];
  /** AWS WAF requests inspected, USD per million. */
  wafPerMillionRequests: PriceTier[];
}

const flat = (price: number): PriceTier[] => [{ upTo: Number.POSITIVE_INFINITY, price }];

export const LIST_PRICES: PriceTable = {
  apiGatewayRestPerMillion: [
    { upTo: 333, price: 3.5 },
    { upTo: 1_000, price: 2.8 },
    { upTo: 20_000, price: 2.38 },
    { upTo: Number.POSITIVE_INFINITY, price: 1.51 },
  ],
  apiGatewayHttpPerMillion: [
    { upTo: 300, price: 1.0 },
    { upTo: Number.POSITIVE_INFINITY, price: 0.9 },
  ],
  lambdaPerMillionRequests: flat(0.2),
  lambdaPerGbSecond: flat(0.0000133334),
  sqsPerMillionRequests: flat(0.4),
  dynamoPerMillionWrites: flat(0.625),
  dynamoPerMillionReads: flat(0.125),
  dynamoPerGbMonth: flat(0.25),
  cognitoPerMau: [
    { upTo: 10_000, price: 0 },
    { upTo: 100_000, price: 0.0055 },
    { upTo: 1_000_000, price: 0.0046 },
    { upTo: 10_000_000, price: 0.00325 },
    { upTo: Number.POSITIVE_INFINITY, price: 0.0025 },
  ],
  logsPerGbIngested: flat(0.5),
  openSearchGp3PerGbMonth: flat(0.08),
  snsSmsPerMessage: flat(0.00645),
  xrayPerMillionTraces: [
    { upTo: 0.1, price: 0 },
    { upTo: Number.POSITIVE_INFINITY, price: 5 },
  ],
  cloudwatchPerAlarm: flat(0.1),
  cloudwatchPerDashboard: flat(3),
  // aws.amazon.com/cloudfront/pricing (pay as you go; the always-free 1 TB and 10 M requests left out, as every free tier is).
  cloudFrontHttpsPerMillion: flat(1.0),
  cloudFrontDataOutPerGb: [
    { upTo: 10_000, price: 0.085 },
    { upTo: 50_000, price: 0.08 },
    { upTo: 150_000, price: 0.06 },
    { upTo: 500_000, price: 0.04 },
    { upTo: 1_024_000, price: 0.03 },
    { upTo: 5_000_000, price: 0.025 },
    { upTo: Number.POSITIVE_INFINITY, price: 0.02 },
  ],
  cloudFrontToOriginPerGb: flat(0.02),
  // aws.amazon.com/waf/pricing: the AWS managed groups the ACL uses (IP reputation, known bad inputs, core rule set) cost only their rule fee.
  wafPerWebAclMonth: flat(5),
  wafPerRuleMonth: flat(1),
  wafPerMillionRequests: flat(0.6),
};

/** Amazon OpenSearch Service on-demand instance prices, USD per hour (same region and date as above: verify). */
export const SEARCH_INSTANCE_HOURLY: Readonly<Record<string, number>> = {
  't3.medium.search': 0.073,
  'm7g.large.search': 0.139,
  'r7g.large.search': 0.181,
  'r7g.xlarge.search': 0.362,
  'r7g.2xlarge.search': 0.724,
  'r7g.4xlarge.search': 1.448,
};

/**
 * vCPUs of each instance type above, from the EC2 instance type specifications
 * (docs.aws.amazon.com/ec2/latest/instancetypes: gp.html for T3 and M7g, mo.html for R7g); an
 * OpenSearch Service `.search` instance has its EC2 type's vCPUs. Graviton (g) types have one core
 * per vCPU; t3.medium's two are hyperthreads and burst on CPU credits (baseline 20 % each).
 * Like the prices, from the authors' knowledge of those pages, not fetched: verify before sizing.
 */
export const SEARCH_INSTANCE_VCPUS: Readonly<Record<string, number>> = {
  't3.medium.search': 2,
  'm7g.large.search': 2,
  'r7g.large.search': 2,
  'r7g.xlarge.search': 4,
  'r7g.2xlarge.search': 8,
  'r7g.4xlarge.search': 16,
};

export type PriceKey = keyof PriceTable;
export const PRICE_KEYS = Object.keys(LIST_PRICES) as PriceKey[];

/** Replaces a tiered price with one flat price, as `--price key=value` does. */
export function withFlatPrice(table: PriceTable, key: PriceKey, price: number): PriceTable {
  return { ...table, [key]: flat(price) };
}

/** Cost of `units` under a tiered price; tier bounds are cumulative units per month. */
export function tieredCost(units: number, tiers: PriceTier[]): number {
  let cost = 0;
  let floor = 0;
  for (const tier of tiers) {
    if (units <= floor) break;
    cost += (Math.min(units, tier.upTo) - floor) * tier.price;
    floor = tier.upTo;
  }
  return cost;
}
