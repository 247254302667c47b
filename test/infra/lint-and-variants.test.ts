import { spawnSync } from 'node:child_process';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../backend/src/lambda/functions.js';
import { validateStageConfig } from '../../infra/aws/config/stage-config.js';
import { stageConfig } from '../../infra/aws/config/stages.js';
import { ACKNOWLEDGEMENTS } from '../../infra/aws/nag-suppressions.js';
import { ensurePythonVenv } from '../support/python-venv.js';
import { registryFunctions, resourcesOf, synthesize } from './support/synth.js';

const CFN_LINT = 'cfn-lint==1.58.0';
/**
 * W3005 (a DependsOn also implied by a GetAtt) is how CDK wires every function to its role's policy:
 * harmless, and not ours to change.
 */
const IGNORED_CHECKS = ['W3005'];
const RUN_CFN_LINT = "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())";

describe('CloudFormation linter (cfn-lint from PyPI, installed by the test itself)', () => {
  let python: string;
  beforeAll(() => {
    python = ensurePythonVenv('cfn-lint', [CFN_LINT]);
  }, 600_000);

  it.each(['dev', 'prod'])('passes the %s templates: the stage region and the edge stack in us-east-1', (stage) => {
    const { templateFile, config, edge } = synthesize(stageConfig(stage, {}), { bundle: false });
    // cfnlint has no __main__, and the venv's console scripts name the directory it was built in:
    // call the entry point itself. A linter that did not run must fail the test.
    for (const [region, file] of [[config.region, templateFile], [edge.stack.region, edge.templateFile]] as const) {
      const lint = spawnSync(python, ['-c', RUN_CFN_LINT, '--regions', region, '--ignore-checks', ...IGNORED_CHECKS, '--', file], { encoding: 'utf8' });
      expect(lint.error, file).toBeUndefined();
      expect(lint.stdout + lint.stderr, file).toBe('');
      expect(lint.status, file).toBe(0);
    }
  }, 300_000);
});

describe('cdk-nag', () => {
  it('fails synthesis on a finding nobody acknowledged', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'proxitrace-nag-')) });
    const stack = new Stack(app, 'Unreviewed');
    new sqs.Queue(stack, 'NoDeadLetterQueue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/does not have a DLQ enabled/);
  });

  it('acknowledges every finding with a written reason', () => {
    for (const a of ACKNOWLEDGEMENTS) {
      expect(a.id).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(a.reason.length, a.id).toBeGreaterThan(60);
    }
  });
});

describe('Elastic Cloud instead of a domain', () => {
  it('creates no domain and gives the searching functions the API key secret, by reference', () => {
    const dev = stageConfig('dev', {});
    const config = validateStageConfig(
      { ...dev, search: { kind: 'elastic-cloud', endpoint: 'https://contacts.es.eu-west-2.aws.elastic-cloud.com', apiKeySecretName: 'proxitrace/elastic-api-key', shards: 3, replicas: 1, refreshInterval: '30s' } },
      'dev-elastic',
    );
    const s = synthesize(config, { bundle: false });
    expect(s.synthError).toBeUndefined();
    expect(s.nagFindings).toEqual([]);
    s.template.resourceCountIs('AWS::OpenSearchService::Domain', 0);
    for (const [, fn] of registryFunctions(s.json)) {
      const vars = fn.Properties.Environment.Variables;
      expect(vars).toMatchObject({ SEARCH_ENGINE: 'elasticsearch', SEARCH_AUTH: 'api-key', SEARCH_NODE: 'https://contacts.es.eu-west-2.aws.elastic-cloud.com' });
      expect(JSON.stringify(vars.SEARCH_API_KEY_SECRET_ID)).toContain('proxitrace/elastic-api-key');
      expect(vars.SEARCH_API_KEY).toBeUndefined();
    }
    // A role's policy and, where it outgrew the inline limit, the managed overflow policy CDK splits off: one role each.
    const policies = [...resourcesOf(s.json, 'AWS::IAM::Policy'), ...resourcesOf(s.json, 'AWS::IAM::ManagedPolicy')].map(([, p]) => JSON.stringify(p.Properties));
    const readers = policies.filter((p) => p.includes('proxitrace/elastic-api-key'));
    expect(readers).toHaveLength(FUNCTIONS.filter((f) => f.access.search).length);
    expect(policies.some((p) => p.includes('es:ESHttp'))).toBe(false);
  }, 240_000);
});

describe('stage configuration', () => {
  it('names every problem at once', () => {
    const dev = stageConfig('dev', {});
    const broken = { ...dev, logRetentionDays: 10, consumer: { maxConcurrency: 1 }, queue: { maxReceives: 0, retentionDays: 4 } };
    expect(() => validateStageConfig(broken, 'broken')).toThrow(/logRetentionDays[\s\S]*consumer\.maxConcurrency[\s\S]*queue\.maxReceives/);
  });

  it('checks the search sizing across fields', () => {
    const dev = stageConfig('dev', {});
    const search = dev.search;
    if (search.kind !== 'opensearch-service') throw new Error('dev runs a domain');
    expect(() => validateStageConfig({ ...dev, search: { ...search, replicas: 1 } }, 'dev')).toThrow(/search\.replicas: 1 replicas need more than 1 data nodes/);
    expect(() => validateStageConfig({ ...dev, search: { ...search, availabilityZones: 2, dataNodes: { ...search.dataNodes, count: 3 } } }, 'dev')).toThrow(/search\.dataNodes\.count: must be a multiple of availabilityZones/);
  });

  it('refuses an unknown stage and a bad official number from the deploying shell', () => {
    expect(() => stageConfig('staging', {})).toThrow(/Unknown stage "staging": use one of dev, prod/);
    expect(() => stageConfig('dev', { OFFICIAL_PHONE_NUMBERS: '+447700900123,07700' })).toThrow(/officialPhoneNumbers\.1: each official number must be E\.164/);
    expect(stageConfig('dev', { OFFICIAL_PHONE_NUMBERS: '+447700900123' }).identity.officialPhoneNumbers).toEqual(['+447700900123']);
  });

  it('takes SMS calling codes without the plus, and at least one', () => {
    const prod = stageConfig('prod', {});
    expect(() => validateStageConfig({ ...prod, sms: { ...prod.sms, allowedCallingCodes: ['+44'] } }, 'prod')).toThrow(/sms\.allowedCallingCodes/);
    expect(() => validateStageConfig({ ...prod, sms: { ...prod.sms, allowedCallingCodes: [] } }, 'prod')).toThrow(/sms\.allowedCallingCodes/);
  });
});
