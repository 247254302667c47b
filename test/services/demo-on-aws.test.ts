import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRelayKeyFile } from '../../backend/src/adapters/relay-keys/load-relay-keys.js';
import { newTokenKeyFile } from '../../backend/src/adapters/token-keys/load-token-keys.js';
import { awsBackendEnv } from '../../infra/local-services/aws-backend-env.js';
import { provisionLocalResources, type ProvisionedResources } from '../../infra/local-services/provision-resources.js';
import { runDemoSession, type DemoSession } from '../../loadtest/demo/run/demo-session.js';
import { outcomeHolds } from '../../loadtest/demo/report/summary-text.js';
import { townStartAfter } from '../../loadtest/demo/town/town-start.js';
import { localServices, uniquePrefix } from './support/aws-clients.js';

/**
 * `npm run demo -- --backend aws --compare-policy …` on the suite's engines: a small town, twice,
 * each run on resources of its own, with Cognito on the wall clock and DynamoDB ageing TTLs on it.
 */
describe('the demo on the AWS adapters (local engines), with a what-if', { timeout: 900_000 }, () => {
  let dir: string;
  let session: DemoSession;
  const provisioned: ProvisionedResources[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'proxitrace-demo-aws-'));
    const [key] = newTokenKeyFile().keys;
    const relayKeys = JSON.stringify(newRelayKeyFile());
    session = await runDemoSession({
      seed: 5,
      people: 24,
      days: 1,
      speed: 'max',
      start: townStartAfter(Date.now()),
      baseEnv: {},
      comparePolicy: { HOP_PROBABILITY: '1/2' },
      awsEnvForRun: async () => {
        const p = await provisionLocalResources(localServices(), uniquePrefix(), { visibilityTimeoutSeconds: 60, maxReceiveCount: 5 });
        provisioned.push(p);
        return { ...awsBackendEnv(p.resources), SQS_WAIT_TIME_SECONDS: '1', TOKEN_KEYS: `${key!.id}:${key!.secret}`, RELAY_KEYS: relayKeys };
      },
      runDir: dir,
    });
  }, 900_000);

  afterAll(async () => {
    await Promise.allSettled((session?.outcomes ?? []).map((o) => o.run.close()));
    await Promise.allSettled(provisioned.map((p) => p.remove()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns exactly whom the truth says, under each policy, with nothing lost, refused or failed', () => {
    expect(session.outcomes).toHaveLength(2);
    for (const o of session.outcomes) {
      expect(o.truth.mustWarn, o.label).toBeGreaterThan(0);
      expect({ missed: o.truth.missed, extra: o.truth.extra, wrongDegree: o.truth.wrongDegree }, o.label).toEqual({ missed: 0, extra: 0, wrongDegree: 0 });
      expect(outcomeHolds(o), o.label).toBe(true);
      expect(o.run.errors, o.label).toMatchObject({ backendLog: 0, deadLetters: 0, clientFailures: 0 });
      expect(o.run.state.client.relayedBatches, `${o.label}: dedicated devices were relayed`).toBeGreaterThan(0);
      expect(o.apiMismatches, o.label).toEqual([]);
    }
  });

  it('keeps each run to its own stores (a replay on shared ones would count both runs\' cases), and every case to the end (no TTL passed on the wall clock)', () => {
    for (const o of session.outcomes) {
      expect(o.run.stats.cases, o.label).toBe(session.town.cases.length);
      expect(o.run.officialsReport!.cases, o.label).toBe(session.town.cases.length);
      expect(o.run.officialsReport!.warnings, o.label).toBe(o.run.stats.notifications);
    }
  });
});
