import { createHash } from 'node:crypto';
import { CustomResource } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { contactIndexNames } from '../../../backend/src/adapters/search/contact-indices.js';
import { contactTemplateBody } from '../../../backend/src/adapters/search/contact-search-requests.js';
import { securityRoles, type SearchAccess } from '../../../backend/src/adapters/search/search-access.js';
import { retentionPolicyBody } from '../../../backend/src/adapters/search/search-setup.js';
import { deployStep } from '../../../backend/src/lambda/functions.js';
import type { StageConfig } from '../config/stage-config.js';
import type { BackendFunctions } from './backend-functions.js';
import type { FunctionRoles } from './function-roles.js';

/**
 * Runs the deploy-time search setup (the `search-setup` deploy step) as a custom resource, with the
 * IAM roles to map to each search access level taken from the function registry. It runs again
 * whenever a mapping changes (a function added, or its access changed) and whenever what it writes changes.
 */
export class SearchSetup extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: { config: StageConfig; functions: BackendFunctions; roles: FunctionRoles; officialsRole: iam.IRole }) {
    super(scope, id);
    const mappings: Partial<Record<Exclude<SearchAccess, 'admin'> | 'officials', string[]>> = { officials: [props.officialsRole.roleArn] };
    for (const spec of props.functions.specs) {
      const access = spec.access.search;
      if (!access || access === 'admin') continue;
      (mappings[access] ??= []).push(props.roles.role(spec.id).roleArn);
    }
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: props.functions.fn(deployStep('search-setup').id).functionArn,
      resourceType: 'Custom::ProxitraceSearchSetup',
      // What the setup writes, hashed: a change to the template, policy or roles runs it again.
      properties: { roleMappings: mappings, bodies: bodiesHash(props.config) },
    });
  }
}

function bodiesHash(config: StageConfig): string {
  const names = contactIndexNames(config.prefix);
  const { shards, replicas, refreshInterval } = config.search;
  const bodies = [contactTemplateBody(names, { shards, replicas, refreshInterval }), retentionPolicyBody(names, config.retentionDays), securityRoles(names)];
  return createHash('sha256').update(JSON.stringify(bodies)).digest('hex').slice(0, 16);
}
