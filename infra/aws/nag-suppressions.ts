import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { IConstruct } from 'constructs';
import { ROUTE_KEYS, routeAccess } from '../../backend/src/api/route-access.js';
import type { StageConfig } from './config/stage-config.js';

interface Acknowledgement {
  id: string;
  reason: string;
  /** Which constructs it applies to. */
  where: (c: IConstruct) => boolean;
  /** Only for some stages (e.g. a one-node development domain). */
  when?: (config: StageConfig) => boolean;
}

const path = (pattern: RegExp) => (c: IConstruct) => pattern.test(c.node.path);
/**
 * A function role's policies: the inline one, and the managed "OverflowPolicyN" CDK splits off at
 * synthesis when a role outgrows the inline limit (erase-me, the purge). Those do not exist yet when
 * the acknowledgements are applied, so they are acknowledged on the role, which covers its children.
 */
const functionPolicy = path(/\/FunctionRoles\/[^/]+$/);

/**
 * Every finding of cdk-nag's AwsSolutions rules that was reviewed and accepted, with its reason.
 * Each applies to the constructs named, never to the whole stack; the synthesis tests check the
 * policies themselves (which actions go with a wildcard resource), not only that nag passes.
 */
export const ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) have no resource-level permissions; sns:Publish of an SMS to a phone number (the functions whose registry entry says sms: sign-in codes, owners’ codes and warnings) has no resource ARN, and publishing to any topic is denied in the same policy; secretsmanager:GetRandomPassword (granted to the rotation function by the rotation schedule) acts on no resource.',
    where: functionPolicy,
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess]',
    reason: 'The AWS-managed policy OpenSearch Service requires to configure Cognito sign-in for Dashboards; it acts on the pools named in the domain only.',
    where: path(/\/Search\/DashboardsCognitoRole$/),
  },
  {
    id: 'AwsSolutions-OS1',
    reason:
      'Public endpoint, reachable only by the roles in its resource policy, SigV4-signed, with fine-grained access control per index. A VPC domain would put every function in a VPC with interface endpoints for SQS, SNS, Secrets Manager and Cognito (cost per zone, slower cold starts); revisit if an agency requires private networking.',
    where: path(/\/Search\/Domain$/),
  },
  {
    id: 'AwsSolutions-OS3',
    reason: 'Access is limited by IAM principals (resource policy naming the roles) and fine-grained access control rather than by source IP: Lambda has no fixed addresses.',
    where: path(/\/Search\/Domain$/),
  },
  {
    id: 'AwsSolutions-OS4',
    reason: 'A development domain of one data node; prod runs three dedicated cluster managers.',
    where: path(/\/Search\/Domain$/),
    when: (config) => config.search.kind === 'opensearch-service' && config.search.masterNodes === undefined,
  },
  {
    id: 'AwsSolutions-OS7',
    reason: 'A development domain in one availability zone; prod spreads over three.',
    where: path(/\/Search\/Domain$/),
    when: (config) => config.search.kind === 'opensearch-service' && config.search.availabilityZones === 1,
  },
  {
    id: 'AwsSolutions-COG2',
    reason:
      'MFA is optional, not required: device sign-in is itself a possession check of the phone (the backend sends a one-time SMS code and runs ADMIN_USER_PASSWORD_AUTH with a password it never stores), so a second factor on a phone-only app has nothing to add. Officials of the API enrol TOTP in this pool and the backend refuses their routes without it (docs/AUTH.md); officials of Dashboards use TOTP MFA in their own pool.',
    where: path(/\/Identity\/Devices$/),
  },
  {
    id: 'AwsSolutions-COG8',
    reason:
      'Plus bills threat protection per monthly active user: at 48 M devices that is ~$960k a month against ~$129k for Lite (npm run capacity). Device sign-in abuse is limited by the WAF’s per-address rate rule on the sign-in paths, the API throttles on the sign-in routes and the backend’s challenge limits. The officials pool uses Plus.',
    where: path(/\/Identity\/Devices$/),
  },
  {
    id: 'AwsSolutions-SQS3',
    reason:
      "Dead-letter queues themselves: the tracer's (tracing tasks it gave up on, written with their reason by the tracing outbox) and the DynamoDB stream's on-failure destination. A dead-letter queue of a dead-letter queue has nothing to add; both are alarmed (infra/RUNBOOK.md).",
    where: path(/\/(ContactQueue\/TracingDeadLetters|Functions\/StreamFailures)$/),
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      'Not rotated by Secrets Manager on purpose. Phone hash: the HMAC key behind every opaque Cognito username and rate-limit key; a new key would make every returning user a new one. Relay keys: their public halves are provisioned into dedicated devices and bridges (docs/RELAY.md), so a rotation is a planned operator procedure, not a timer. The token keys are rotated.',
    where: path(/\/Secrets\/(PhoneHash|RelayKeys)$/),
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      "The edge origin secret (x-origin-verify) is not rotated by Secrets Manager: CloudFront and the functions take it by a dynamic reference, resolved only when the stack deploys, so a rotation by timer would refuse every request until the next deployment. It only proves that a request came through CloudFront and its WAF: whoever learnt it could skip the WAF, never the backend's own sign-in limits (infra/RUNBOOK.md#edge).",
    where: path(/\/Secrets\/EdgeOrigin$/),
  },
  {
    id: 'AwsSolutions-CFR1',
    reason:
      'No geo restriction: residents abroad (travellers, roaming phones) must still upload contacts and receive warnings, and sign-in SMS already go only to the stage\'s allowed calling codes (sms.allowedCallingCodes).',
    where: path(/\/Edge\/Distribution$/),
  },
  {
    id: 'AwsSolutions-CFR3',
    reason:
      "No CloudFront standard log: it would keep every device's IP address for every request in a second place. The WAF logs each request a rule blocked or counted (authorization redacted) with sampled requests and per-rule metrics for the rest, and API Gateway's access log records every request (route, status, latency) without the address.",
    where: path(/\/Edge\/Distribution$/),
  },
  {
    id: 'AwsSolutions-CFR4',
    reason:
      "The stage names no domain of its own (edge.domain), so clients use the distribution's *.cloudfront.net name, on which CloudFront always offers TLS 1.0 and 1.1 as well; current clients negotiate TLS 1.2 or 1.3, and the origin is reached over TLS 1.2 only. With edge.domain set (its ACM certificate in us-east-1), viewers need TLS 1.2 (TLSv1.2_2021).",
    where: path(/\/Edge\/Distribution$/),
    when: (config) => config.edge.domain === undefined,
  },
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'Public by design (api/route-access.ts: none): sign-in, liveness and readiness probes, the OpenAPI document, the JWKS, and $default (the fallback answers 404 or 405 and touches nothing). Every other route has the JWT authorizer.',
    where: (c) => c instanceof apigw.HttpRoute && PUBLIC_ROUTE_IDS.has(c.node.id),
  },
];

/** HttpApi names each route's construct `Route <key>` (CDK turns "/" into "--"). */
const PUBLIC_ROUTE_IDS = new Set([...ROUTE_KEYS.filter((k) => routeAccess(k) === 'none'), '$default'].map((k) => `Route ${k}`.replaceAll('/', '--')));

/** Findings whose id names a resource's logical id: one per table with indexes, the domain, each scheduled function. */
function resourceAcknowledgements(stack: Stack): Acknowledgement[] {
  const logicalId = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const all = stack.node.findAll();
  const tables = all.filter((c): c is dynamodb.Table => c instanceof dynamodb.Table && (c.node.defaultChild as dynamodb.CfnTable).globalSecondaryIndexes !== undefined);
  const domains = all.filter((c): c is opensearch.Domain => c instanceof opensearch.Domain);
  const scheduled = all.filter((c) => /\/SchedulerRoleForTarget-[^/]+$/.test(c.node.path));
  return [
    ...tables.map((t) => ({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(t)}.Arn>/index/*]`,
      reason: `Queries on the global secondary indexes of ${t.node.id} (defined in dynamo-tables.ts); the wildcard covers that table's indexes only.`,
      where: functionPolicy,
    })),
    ...domains.map((d) => ({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(d)}.Arn>/*]`,
      reason:
        'es:ESHttp<verb> on the request paths of this one domain, only the verbs the access level needs (search-access.ts); which indices a role may read or write is enforced by the fine-grained access control role the setup maps it to.',
      where: functionPolicy,
    })),
    ...all
      .filter((c): c is IConstruct & { functionArn: string } => 'functionArn' in c && /\/Functions\/[^/]+$/.test(c.node.path) && c.node.defaultChild !== undefined)
      .map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
        reason: `EventBridge Scheduler's role may invoke ${fn.node.id} (any version); nothing else.`,
        where: (c: IConstruct) => scheduled.some((role) => c.node.path.startsWith(`${role.node.path}/`)),
      })),
  ];
}

export function suppressReviewedFindings(stack: Stack, config: StageConfig): Acknowledgement[] {
  const applied = [...ACKNOWLEDGEMENTS.filter((a) => a.when?.(config) ?? true), ...resourceAcknowledgements(stack)];
  for (const construct of stack.node.findAll()) {
    for (const a of applied) if (a.where(construct)) Validations.of(construct).acknowledge({ id: a.id, reason: a.reason });
  }
  return applied;
}
