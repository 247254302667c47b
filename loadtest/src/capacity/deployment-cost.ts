import type { CapacityAssumptions } from './assumptions.js';
import type { ServiceCost } from './cost.js';
import type { DeploymentAssumptions, DeploymentSizing } from './deployment.js';
import type { CapacityFigures } from './model.js';
import { SEARCH_INSTANCE_HOURLY, tieredCost, type PriceTable } from './prices.js';

const GB = 1e9;
const MILLION = 1e6;
const HOURS_PER_MONTH = 730;

export interface DeploymentCost {
  costs: ServiceCost[];
  /** Disk the contacts need at steady state (replicas and free headroom included) against what the stage configures. */
  searchStorage: { neededGb: number; configuredGb: number } | undefined;
}

/**
 * The monthly cost of the AWS deployment as configured: contacts in OpenSearch (instances and gp3
 * EBS, not DynamoDB writes), DynamoDB for tokens, receipts and the device reads every authenticated
 * request makes, Cognito per monthly active user, SMS per sign-in, X-Ray as sampled, the
 * alarms, dashboard and metrics the stack creates, and the edge: every request through CloudFront
 * and inspected by its WAF web ACL.
 */
export function computeDeploymentCost(a: CapacityAssumptions, f: CapacityFigures, prices: PriceTable, d: DeploymentSizing, x: DeploymentAssumptions): DeploymentCost {
  const month = a.daysPerMonth;
  const apiRequests = f.apiRequestsPerDay * month;
  const consumerInvocations = (f.sqsMessagesPerDay / d.consumerBatchSize) * month;
  const invocations = apiRequests + consumerInvocations;
  const gbSeconds = ((apiRequests * a.apiLambdaDurationMs * d.apiMemoryMb + consumerInvocations * a.consumerLambdaDurationMs * (d.consumerBatchSize / a.consumerBatchSize) * d.consumerMemoryMb) / 1_000) / 1_024;
  const sqsRequests = f.sqsMessagesPerDay * a.sqsRequestsPerMessage * month;
  const tokenCalls = f.apiRequestsPerDay - f.uploadRequestsPerDay - f.notificationPollsPerDay - 2 * f.infectionReportsPerDay;
  // One item per token window issued; two receipt writes per upload (claim, then sent).
  const writes = (tokenCalls * a.tokensPerCall + 2 * f.uploadRequestsPerDay + f.infectionReportsPerDay * 10) * month;
  // Every device request reads the device (consistent: one unit); notification polls also query.
  const reads = apiRequests + f.notificationPollsPerDay * month;
  const dynamoGb = (f.uploadRequestsPerDay * d.retentionDays * (x.receiptBytes + a.storageOverheadBytesPerItem)) / GB;
  const logGb = ((invocations + apiRequests) * a.logBytesPerInvocation) / GB;
  const smsCount = a.users * x.signInsPerUserPerMonth;
  const traces = invocations * x.xraySampledFraction;
  const edgeOutGb = (apiRequests * x.edgeResponseBytes) / GB;
  // CloudFront bills what it sends the origin for POST, PUT and DELETE requests: all but the notification polls (GET).
  const toOriginGb = ((apiRequests - f.notificationPollsPerDay * month) * x.edgeRequestHeaderBytes + f.uploadRequestsPerDay * month * x.uploadBodyBytes) / GB;

  const costs: ServiceCost[] = [
    { service: 'API Gateway (HTTP API)', basis: `${fmt(apiRequests / MILLION)} M requests`, monthlyUsd: tieredCost(apiRequests / MILLION, prices.apiGatewayHttpPerMillion) },
    { service: 'Lambda requests', basis: `${fmt(invocations / MILLION)} M invocations`, monthlyUsd: tieredCost(invocations / MILLION, prices.lambdaPerMillionRequests) },
    { service: 'Lambda compute', basis: `${fmt(gbSeconds)} GB-s (API ${d.apiMemoryMb} MB, consumer ${d.consumerMemoryMb} MB × ${d.consumerBatchSize} messages)`, monthlyUsd: tieredCost(gbSeconds, prices.lambdaPerGbSecond) },
    { service: 'SQS', basis: `${fmt(sqsRequests / MILLION)} M requests`, monthlyUsd: tieredCost(sqsRequests / MILLION, prices.sqsPerMillionRequests) },
    { service: 'DynamoDB writes', basis: `${fmt(writes / MILLION)} M write units (tokens, receipts; no contacts)`, monthlyUsd: tieredCost(writes / MILLION, prices.dynamoPerMillionWrites) },
    { service: 'DynamoDB reads', basis: `${fmt(reads / MILLION)} M read units (device per request, polls)`, monthlyUsd: tieredCost(reads / MILLION, prices.dynamoPerMillionReads) },
    { service: 'DynamoDB storage', basis: `${fmt(dynamoGb)} GB receipts kept ${d.retentionDays} days`, monthlyUsd: tieredCost(dynamoGb, prices.dynamoPerGbMonth) },
  ];
  let searchStorage: DeploymentCost['searchStorage'];
  if (d.search.kind === 'opensearch-service') {
    const { dataNodes, masterNodes, volumeGb, replicas } = d.search;
    const instanceCost = (type: string, count: number) => {
      const hourly = SEARCH_INSTANCE_HOURLY[type];
      if (hourly === undefined) throw new Error(`no price for ${type}: add it to SEARCH_INSTANCE_HOURLY in loadtest/src/capacity/prices.ts`);
      return hourly * count * HOURS_PER_MONTH;
    };
    const configuredGb = volumeGb * dataNodes.count;
    const neededGb = (f.storedContactsPerDay * d.retentionDays * x.searchBytesPerContact * (1 + replicas)) / (1 - x.searchFreeStorageFraction) / GB;
    searchStorage = { neededGb, configuredGb };
    costs.push(
      { service: 'OpenSearch data nodes', basis: `${dataNodes.count} × ${dataNodes.instanceType}`, monthlyUsd: instanceCost(dataNodes.instanceType, dataNodes.count) },
      { service: 'OpenSearch cluster managers', basis: masterNodes ? `${masterNodes.count} × ${masterNodes.instanceType}` : 'none', monthlyUsd: masterNodes ? instanceCost(masterNodes.instanceType, masterNodes.count) : 0 },
      { service: 'OpenSearch EBS (gp3)', basis: `${fmt(configuredGb)} GB (${fmt(neededGb)} GB needed)`, monthlyUsd: tieredCost(configuredGb, prices.openSearchGp3PerGbMonth) },
    );
  }
  costs.push(
    { service: 'Cognito', basis: `${fmt(a.users)} monthly active users (Lite)`, monthlyUsd: tieredCost(a.users, prices.cognitoPerMau) },
    { service: 'SMS (SNS)', basis: `${fmt(smsCount / MILLION)} M sign-in codes (${x.signInsPerUserPerMonth} per user)`, monthlyUsd: tieredCost(smsCount, prices.snsSmsPerMessage) },
    { service: 'CloudWatch Logs', basis: `${fmt(logGb)} GB ingested (functions and API access log)`, monthlyUsd: tieredCost(logGb, prices.logsPerGbIngested) },
    { service: 'X-Ray', basis: `${fmt(traces / MILLION)} M traces (${x.xraySampledFraction * 100} % sampled)`, monthlyUsd: tieredCost(traces / MILLION, prices.xrayPerMillionTraces) },
    { service: 'CloudWatch alarms and dashboard', basis: `${d.alarms} alarms, 1 dashboard`, monthlyUsd: d.alarms * tieredCost(1, prices.cloudwatchPerAlarm) + tieredCost(1, prices.cloudwatchPerDashboard) },
    { service: 'CloudFront requests', basis: `${fmt(apiRequests / MILLION)} M HTTPS requests`, monthlyUsd: tieredCost(apiRequests / MILLION, prices.cloudFrontHttpsPerMillion) },
    {
      service: 'CloudFront data transfer',
      basis: `${fmt(edgeOutGb)} GB to devices, ${fmt(toOriginGb)} GB to the API`,
      monthlyUsd: tieredCost(edgeOutGb, prices.cloudFrontDataOutPerGb) + tieredCost(toOriginGb, prices.cloudFrontToOriginPerGb),
    },
    {
      service: 'WAF',
      basis: `1 web ACL, ${d.webAclRules} rules, ${fmt(apiRequests / MILLION)} M requests inspected (logs of blocked requests not priced)`,
      monthlyUsd: tieredCost(1, prices.wafPerWebAclMonth) + d.webAclRules * tieredCost(1, prices.wafPerRuleMonth) + tieredCost(apiRequests / MILLION, prices.wafPerMillionRequests),
    },
  );
  return { costs, searchStorage };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
