import type { BackendServices } from '../composition/backend-services.js';
import { createLogger } from '../composition/logger.js';
import { loadBackendConfig } from '../config/backend-config.js';
import { parseDuration } from '../config/duration-format.js';

/** The services of the backend the environment names, for an operator's command; only that backend's adapters are loaded. */
export async function cliServices(env: Record<string, string | undefined> = process.env): Promise<BackendServices> {
  const config = loadBackendConfig({ LOG_LEVEL: 'SILENT', ...env });
  const logger = createLogger(config);
  // The AWS SDK alone takes seconds to import.
  return config.backend === 'aws'
    ? (await import('../composition/aws.js')).createAwsServices(config, logger)
    : (await import('../composition/embedded.js')).createEmbeddedServices(config, logger);
}

/** A duration in the project's one syntax ("7d", "36h", "2w", "90m") or an ISO date/time → the time that long before `now` (or that time). */
export function parseSince(text: string, now: Date): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const absolute = new Date(text);
    return Number.isNaN(absolute.getTime()) ? undefined : absolute;
  }
  const ms = parseDuration(text);
  return ms === undefined || ms === 0 ? undefined : new Date(now.getTime() - ms);
}
