import type { CapacityAssumptions } from './assumptions.js';
import type { CapacityFigures } from './model.js';
import { tieredCost, type PriceTable } from './prices.js';

const GB = 1e9;
const MILLION = 1e6;

export interface ServiceCost {
  service: string;
  /** What is billed, in words, so a reader can check the arithmetic. */
  basis: string;
  monthlyUsd: number;
}

/** Monthly AWS cost by service at steady state (storage full to the retention period). */
export function computeMonthlyCost(a: CapacityAssumptions, f: CapacityFigures, prices: PriceTable): ServiceCost[] {
  const month = a.daysPerMonth;
  const apiRequests = f.apiRequestsPerDay * month;
  const apiTiers = a.apiGateway === 'http' ? prices.apiGatewayHttpPerMillion : prices.apiGatewayRestPerMillion;
  const gbSeconds =
    ((f.apiLambdaInvocationsPerDay * a.apiLambdaDurationMs +
      f.consumerLambdaInvocationsPerDay * a.consumerLambdaDurationMs) /
      1_000) *
    (a.lambdaMemoryMb / 1_024) *
    month;
  const invocations = f.lambdaInvocationsPerDay * month;
  const sqsRequests = f.sqsMessagesPerDay * a.sqsRequestsPerMessage * month;
  const writes = f.contactsPerDay * a.writeUnitsPerObservation * month;
  const reads = f.notificationPollsPerDay * month;
  const storedGb = f.retainedBytesBilled / GB;
  const logGb = (invocations * a.logBytesPerInvocation) / GB;

  return [
    {
      service: `API Gateway (${a.apiGateway === 'http' ? 'HTTP API' : 'REST API'})`,
      basis: `${fmt(apiRequests / MILLION)} M requests`,
      monthlyUsd: tieredCost(apiRequests / MILLION, apiTiers),
    },
    {
      service: 'Lambda requests',
      basis: `${fmt(invocations / MILLION)} M invocations`,
      monthlyUsd: tieredCost(invocations / MILLION, prices.lambdaPerMillionRequests),
    },
    {
      service: 'Lambda compute',
      basis: `${fmt(gbSeconds)} GB-s at ${a.lambdaMemoryMb} MB`,
      monthlyUsd: tieredCost(gbSeconds, prices.lambdaPerGbSecond),
    },
    {
      service: 'SQS',
      basis: `${fmt(sqsRequests / MILLION)} M requests`,
      monthlyUsd: tieredCost(sqsRequests / MILLION, prices.sqsPerMillionRequests),
    },
    {
      service: 'DynamoDB writes',
      basis: `${fmt(writes / MILLION)} M write units`,
      monthlyUsd: tieredCost(writes / MILLION, prices.dynamoPerMillionWrites),
    },
    {
      service: 'DynamoDB reads',
      basis: `${fmt(reads / MILLION)} M read units`,
      monthlyUsd: tieredCost(reads / MILLION, prices.dynamoPerMillionReads),
    },
    {
      service: 'DynamoDB storage',
      basis: `${fmt(storedGb)} GB kept ${a.retentionDays} days`,
      monthlyUsd: tieredCost(storedGb, prices.dynamoPerGbMonth),
    },
    {
      service: 'Cognito',
      basis: `${fmt(a.users)} monthly active users`,
      monthlyUsd: tieredCost(a.users, prices.cognitoPerMau),
    },
    {
      service: 'CloudWatch Logs',
      basis: `${fmt(logGb)} GB ingested`,
      monthlyUsd: tieredCost(logGb, prices.logsPerGbIngested),
    },
  ];
}

export function totalUsd(costs: ServiceCost[]): number {
  return costs.reduce((sum, c) => sum + c.monthlyUsd, 0);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
