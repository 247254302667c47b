import { FUNCTIONS } from '../../../backend/src/lambda/functions.js';
import type { StageConfig } from '../../../infra/aws/config/stage-config.js';
import { stageConfig } from '../../../infra/aws/config/stages.js';
import { webAclRules } from '../../../infra/aws/constructs/web-acl-rules.js';

/**
 * What the AWS deployment of one stage is sized as (infra/aws/config/stages.ts and the function
 * registry), plus the few behaviours that price it: read from the configuration, never restated.
 */
export interface DeploymentSizing {
  stage: string;
  search:
    | { kind: 'opensearch-service'; dataNodes: { instanceType: string; count: number }; masterNodes?: { instanceType: string; count: number } | undefined; volumeGb: number; replicas: number }
    | { kind: 'elastic-cloud'; replicas: number };
  /** Memory of the functions that answer API requests (the hot ones: tokens and uploads), MB. */
  apiMemoryMb: number;
  consumerMemoryMb: number;
  consumerBatchSize: number;
  retentionDays: number;
  logRetentionDays: number;
  /** Alarms the stack creates (two per function, plus the fixed ones). */
  alarms: number;
  /** Rules (and managed rule groups) in the WAF web ACL of the API's CloudFront distribution. */
  webAclRules: number;
}

/** Behaviour the deployment's price depends on; each is printed and can be overridden by a flag. */
export interface DeploymentAssumptions {
  /**
   * SMS sign-ins per user per month. A device signs in by SMS once per session: its refresh token
   * (REFRESH_TOKEN_TTL_DAYS, 90 days in the stage config) renews the 1-hour access tokens without an
   * SMS, so 30 days / 90 days ≈ 0.33; reinstalls and new phones add to it (raise it by flag).
   */
  signInsPerUserPerMonth: number;
  /** Bytes one stored contact takes on a search node's disk (source, doc values, index), before replicas. */
  searchBytesPerContact: number;
  /** Share of the disk kept free (OpenSearch blocks writes at 95 % full; AWS advises 25 % headroom). */
  searchFreeStorageFraction: number;
  /** Share of requests X-Ray records (Lambda's default sampling: 1/s then 5 %). */
  xraySampledFraction: number;
  /** Bytes of one batch receipt item in DynamoDB (kept for the retention period, by TTL). */
  receiptBytes: number;
  /** Bytes CloudFront sends a viewer per answer: status line, headers (the security headers included) and a small JSON body. */
  edgeResponseBytes: number;
  /** Bytes of a request's headers as CloudFront forwards them: the Cognito access token (~1 KB) and CloudFront's own headers. */
  edgeRequestHeaderBytes: number;
  /** Bytes of one upload's body (50 observations of JSON). */
  uploadBodyBytes: number;
}

export const DEPLOYMENT_ASSUMPTIONS: DeploymentAssumptions = {
  signInsPerUserPerMonth: 0.33,
  searchBytesPerContact: 200,
  searchFreeStorageFraction: 0.25,
  xraySampledFraction: 0.05,
  receiptBytes: 250,
  edgeResponseBytes: 800,
  edgeRequestHeaderBytes: 2_000,
  uploadBodyBytes: 9_000,
};

export function deploymentSizing(stage = 'prod', config: StageConfig = stageConfig(stage, {})): DeploymentSizing {
  const http = (route: string) => FUNCTIONS.find((f) => f.trigger.kind === 'http' && f.trigger.route === route)!;
  const consumer = FUNCTIONS.find((f) => f.trigger.kind === 'queue')!;
  if (consumer.trigger.kind !== 'queue') throw new Error('unreachable');
  const hot = [http('POST /v1/tokens'), http('POST /v1/contacts')];
  const search = config.search;
  return {
    stage: config.stage,
    search:
      search.kind === 'opensearch-service'
        ? { kind: search.kind, dataNodes: search.dataNodes, masterNodes: search.masterNodes, volumeGb: search.volumeGb, replicas: search.replicas }
        : { kind: search.kind, replicas: search.replicas },
    apiMemoryMb: Math.max(...hot.map((f) => f.memoryMb)),
    consumerMemoryMb: consumer.memoryMb,
    consumerBatchSize: consumer.trigger.batchSize,
    retentionDays: config.retentionDays,
    logRetentionDays: config.logRetentionDays,
    alarms: 2 * FUNCTIONS.length + 10,
    webAclRules: webAclRules(config).length,
  };
}
