import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { RouteKey } from '../../../backend/src/api/route-access.js';
import type { StageConfig } from '../config/stage-config.js';

/**
 * The routes the WAF's rate-based rule counts per client address: every route that sends an SMS
 * challenge or checks its answer (the backend's `throttledChallenge` and `guardedAnswer`).
 * `POST /v1/auth/refresh` is not among them: it needs a valid refresh token, sends nothing, and every
 * device behind one carrier-grade NAT address refreshes every hour.
 */
export const SIGN_IN_CHALLENGE_ROUTES = [
  'POST /v1/auth/sms',
  'POST /v1/auth/verify',
  'POST /v1/auth/official/sms',
  'POST /v1/auth/official/totp',
  'POST /v1/auth/official/verify',
  'POST /v1/dedicated-devices/owner-verification',
] as const satisfies readonly RouteKey[];

/**
 * The paths of those routes as one regular expression over the URI path, after URL decoding and path
 * normalisation (so `/v1//auth/./sms/` and `/v1/auth/%73ms` count too).
 */
export function signInPathPattern(): string {
  const paths = SIGN_IN_CHALLENGE_ROUTES.map((route) => route.split(' ')[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(${paths.join('|')})/?$`;
}

/** The web ACL's name, also its CloudWatch metric name (the WebACL dimension of AWS/WAFV2, in us-east-1). */
export const webAclName = (config: StageConfig) => `${config.prefix}api`;

/** The body the rate-based rule answers with: the API's error shape, so clients handle it as any 429. */
export const RATE_LIMITED_BODY_KEY = 'sign-in-rate-limited';
export function rateLimitedBody(config: StageConfig): string {
  const minutes = config.edge.signInWindowSeconds / 60;
  return JSON.stringify({
    error: {
      code: 'rate_limited',
      message: `Too many sign-in requests from this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      details: { limit: 'edge_sign_in_per_address', retryAfterSeconds: config.edge.signInWindowSeconds },
    },
  });
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({ metricName, cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true });

const managed = (priority: number, name: string, group: string, mode: StageConfig['edge']['managedRules'], countOnly: string[] = []): CfnWebACL.RuleProperty => ({
  name,
  priority,
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name: group,
      ...(countOnly.length > 0 ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
    },
  },
  overrideAction: mode === 'block' ? { none: {} } : { count: {} },
  visibilityConfig: visibility(name),
});

/**
 * The web ACL's rules, in the order WAF evaluates them:
 * 1. Amazon's IP reputation list (addresses seen in attacks and bot networks): blocked first, cheapest.
 * 2. The sign-in rate rule: more than `edge.signInRequestsPerAddress` requests to the sign-in paths
 *    from one address in the window are answered 429 at the edge, before they cost an invocation or
 *    take the sign-in routes' shared API throttle from everyone else.
 * 3. Known bad inputs (Log4Shell and similar exploit payloads, localhost host headers).
 * 4. The core rule set (OWASP-style), except two rules that would refuse the API's own clients and
 *    are only counted: SizeRestrictions_BODY (bodies over 8 KB: a contact upload of 50 observations or
 *    a relay batch is larger, up to MAX_BODY_BYTES) and NoUserAgent_HEADER (devices and relays need not
 *    send a User-Agent).
 * The managed groups block (`edge.managedRules: block`) or only count (`count`); the rate rule always blocks.
 */
export function webAclRules(config: StageConfig): CfnWebACL.RuleProperty[] {
  const mode = config.edge.managedRules;
  return [
    managed(0, 'ip-reputation', 'AWSManagedRulesAmazonIpReputationList', mode),
    {
      name: 'sign-in-rate',
      priority: 1,
      statement: {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit: config.edge.signInRequestsPerAddress,
          evaluationWindowSec: config.edge.signInWindowSeconds,
          scopeDownStatement: {
            regexMatchStatement: {
              fieldToMatch: { uriPath: {} },
              regexString: signInPathPattern(),
              textTransformations: [
                { priority: 0, type: 'URL_DECODE' },
                { priority: 1, type: 'NORMALIZE_PATH' },
              ],
            },
          },
        },
      },
      action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: RATE_LIMITED_BODY_KEY } } },
      visibilityConfig: visibility('sign-in-rate'),
    },
    managed(2, 'known-bad-inputs', 'AWSManagedRulesKnownBadInputsRuleSet', mode),
    managed(3, 'common', 'AWSManagedRulesCommonRuleSet', mode, ['SizeRestrictions_BODY', 'NoUserAgent_HEADER']),
  ];
}
