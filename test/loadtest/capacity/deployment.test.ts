import { describe, expect, it } from 'vitest';
import { compareProfiles } from '../../../loadtest/src/capacity/compare.js';
import { totalUsd } from '../../../loadtest/src/capacity/cost.js';
import { DEPLOYMENT_ASSUMPTIONS, deploymentSizing } from '../../../loadtest/src/capacity/deployment.js';
import { parseCapacityOptions } from '../../../loadtest/src/capacity/options.js';
import { LIST_PRICES, SEARCH_INSTANCE_HOURLY } from '../../../loadtest/src/capacity/prices.js';
import { stageConfig } from '../../../infra/aws/config/stages.js';

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

  it('takes the deployment assumptions and the stage as flags, and refuses bad ones by name', () => {
    const ok = parseCapacityOptions({ 'sign-ins-per-user-per-month': '1', stage: 'dev' });
    expect(ok.ok && ok.options.deployment.signInsPerUserPerMonth).toBe(1);
    expect(ok.ok && ok.options.stage).toBe('dev');
    const bad = parseCapacityOptions({ 'xray-sampled-fraction': '2' });
    expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/^--xray-sampled-fraction/)]);
  });
});
