import { describe, expect, it } from 'vitest';
import { compareProfiles } from '../../../loadtest/src/capacity/compare.js';
import { totalUsd } from '../../../loadtest/src/capacity/cost.js';
import { DEPLOYMENT_ASSUMPTIONS, deploymentSizing } from '../../../loadtest/src/capacity/deployment.js';
import { parseCapacityOptions } from '../../../loadtest/src/capacity/options.js';
import { LIST_PRICES, SEARCH_INSTANCE_HOURLY } from '../../../loadtest/src/capacity/prices.js';
import { stageConfig } from '../../../infra/aws/config/stages.js';
import { webAclRules } from '../../../infra/aws/constructs/web-acl-rules.js';

describe('Capacity model: the deployed column (prod as infra/aws configures it)', () => {
  const [design, , deployed] = compareProfiles({}, LIST_PRICES);
  const cost = (service: string) => deployed!.costs.find((c) => c.service.startsWith(service))!;

  it('prices the stage configuration: its search nodes and volumes, not restated figures', () => {
    const prod = stageConfig('prod', {});
    if (prod.search.kind !== 'opensearch-service') throw new Error('prod runs a domain');
    expect(deploymentSizing('prod').search).toMatchObject({ dataNodes: prod.search.dataNodes, volumeGb: prod.search.volumeGb });
    expect(cost('OpenSearch data nodes').monthlyUsd).toBeCloseTo(SEARCH_INSTANCE_HOURLY[prod.search.dataNodes.instanceType]! * prod.search.dataNodes.count * 730, 6);
    expect(cost('OpenSearch EBS').basis).toContain(`${(prod.search.volumeGb * prod.search.dataNodes.count).toLocaleString('en-US')} GB`);
  });

  it('stores contacts in OpenSearch: DynamoDB writes are tokens and receipts only, far below one per observation', () => {
    const designWrites = design!.costs.find((c) => c.service === 'DynamoDB writes')!.monthlyUsd;
    expect(cost('DynamoDB writes').monthlyUsd).toBeLessThan(designWrites / 5);
  });

  it('configures enough search storage for the retention, with replicas and headroom', () => {
    expect(deployed!.notes!.join()).toMatch(/configured \(enough\)/);
  });

  it('prices Cognito per monthly active user and SMS per sign-in', () => {
    expect(cost('Cognito').monthlyUsd).toBeCloseTo(design!.costs.find((c) => c.service === 'Cognito')!.monthlyUsd, 6);
    expect(cost('SMS').monthlyUsd).toBeCloseTo(48_000_000 * DEPLOYMENT_ASSUMPTIONS.signInsPerUserPerMonth * 0.00645, 0);
    // One SMS per 90-day session (refresh tokens), not one per day: a third of a code per user and month.
    expect(DEPLOYMENT_ASSUMPTIONS.signInsPerUserPerMonth).toBeCloseTo(30 / 90, 2);
    const [, , tenfold] = compareProfiles({}, LIST_PRICES, { stage: 'prod', assumptions: { ...DEPLOYMENT_ASSUMPTIONS, signInsPerUserPerMonth: 10 * DEPLOYMENT_ASSUMPTIONS.signInsPerUserPerMonth } });
    const smsOf = (costs: NonNullable<typeof deployed>['costs']) => costs.find((c) => c.service.startsWith('SMS'))!.monthlyUsd;
    expect(smsOf(tenfold!.costs)).toBeCloseTo(10 * smsOf(deployed!.costs), 0);
    expect(totalUsd(tenfold!.costs) - totalUsd(deployed!.costs)).toBeCloseTo(9 * smsOf(deployed!.costs), 0);
  });

  it("prices the edge: every API request through CloudFront and inspected by the web ACL, whose rules are the stack's", () => {
    const requestsMillions = (deployed!.figures.apiRequestsPerDay * deployed!.assumptions.daysPerMonth) / 1e6;
    const rules = webAclRules(stageConfig('prod', {})).length;
    expect(deploymentSizing('prod').webAclRules).toBe(rules);
    expect(cost('CloudFront requests').monthlyUsd).toBeCloseTo(requestsMillions * 1.0, 6);
    expect(cost('WAF').monthlyUsd).toBeCloseTo(5 + rules * 1 + requestsMillions * 0.6, 6);
    expect(cost('WAF').basis).toContain(`${rules} rules`);
    // Data transfer: answers to devices, and what CloudFront forwards of every request but the polls (GET).
    const month = deployed!.assumptions.daysPerMonth;
    const outGb = (requestsMillions * 1e6 * DEPLOYMENT_ASSUMPTIONS.edgeResponseBytes) / 1e9;
    const toOriginGb = ((requestsMillions * 1e6 - deployed!.figures.notificationPollsPerDay * month) * DEPLOYMENT_ASSUMPTIONS.edgeRequestHeaderBytes + deployed!.figures.uploadRequestsPerDay * month * DEPLOYMENT_ASSUMPTIONS.uploadBodyBytes) / 1e9;
    expect(outGb).toBeLessThan(10_000);
    expect(cost('CloudFront data transfer').monthlyUsd).toBeCloseTo(outGb * 0.085 + toOriginGb * 0.02, 6);
    // The design and project columns have no edge.
    expect(design!.costs.some((c) => c.service.startsWith('CloudFront') || c.service === 'WAF')).toBe(false);
  });

  it('takes the deployment assumptions and the stage as flags, and refuses bad ones by name', () => {
    const ok = parseCapacityOptions({ 'sign-ins-per-user-per-month': '1', stage: 'dev' });
    expect(ok.ok && ok.options.deployment.signInsPerUserPerMonth).toBe(1);
    expect(ok.ok && ok.options.stage).toBe('dev');
    const bad = parseCapacityOptions({ 'xray-sampled-fraction': '2' });
    expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/^--xray-sampled-fraction/)]);
  });
});
