import { contactIndexNames } from '../adapters/search/contact-indices.js';
import { setupSearch, type SearchRoleMappings } from '../adapters/search/search-setup.js';
import { createLogger } from '../composition/logger.js';
import { searchEngineFromConfig } from '../composition/search-engine-from-config.js';
import { readSecretString, secretsManagerClient } from '../composition/secrets.js';
import { loadBackendConfig } from '../config/backend-config.js';
import { answerCustomResource, type CustomResourceEvent } from './support/cloudformation-response.js';

const config = loadBackendConfig(process.env);
const logger = createLogger(config, config.metrics.service);

/**
 * Deploy time (a CloudFormation custom resource): the search tier's script, template,
 * applied-batches index, retention policy and security roles, mapped to the functions' IAM roles
 * given as the resource's `roleMappings`. Runs on every deployment whose properties change; deleting
 * the resource leaves the data in place.
 */
export async function handler(event: CustomResourceEvent): Promise<void> {
  const aws = config.aws!;
  await answerCustomResource(
    event,
    `${aws.search.indexPrefix}search-setup`,
    async (): Promise<Record<string, string>> => {
      if (event.RequestType === 'Delete') return {};
      const secrets = secretsManagerClient(aws);
      const engine = searchEngineFromConfig(aws.search, aws, (secretId) => readSecretString(secrets, secretId));
      try {
        const mappings = (event.ResourceProperties.roleMappings ?? {}) as SearchRoleMappings;
        const report = await setupSearch(engine.engine, contactIndexNames(aws.search.indexPrefix), aws.search, { retentionDays: config.env.RETENTION_DAYS, roleMappings: mappings, analyticsRetention: config.analytics.retention });
        logger.info('search tier set up', { ...report });
        return { retentionPolicy: report.retentionPolicy, securityRoles: String(report.securityRoles), analyticsRetention: report.analyticsRetention };
      } finally {
        await engine.close();
        secrets.destroy();
      }
    },
    (message, detail) => logger.error(message, { ...detail }),
  );
}
