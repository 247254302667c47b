import type { BackendServices } from '../composition/backend-services.js';
import { createLogger } from '../composition/logger.js';
import { loadBackendConfig } from '../config/backend-config.js';

/** The services of the backend the environment names, for an operator's command; only that backend's adapters are loaded. */
export async function cliServices(env: Record<string, string | undefined> = process.env): Promise<BackendServices> {
  const config = loadBackendConfig({ LOG_LEVEL: 'SILENT', ...env });
  const logger = createLogger(config);
  // The AWS SDK alone takes seconds to import.
  return config.backend === 'aws'
    ? (await import('../composition/aws.js')).createAwsServices(config, logger)
    : (await import('../composition/embedded.js')).createEmbeddedServices(config, logger);
}

/** "7d", "36h", "2w" or an ISO date/time → the time that long before `now` (or that time). */
export function parseSince(text: string, now: Date): Date | undefined {
  const relative = /^(\d+(?:\.\d+)?)\s*(h|d|w)$/i.exec(text.trim());
  if (relative) {
    const unit = { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2]!.toLowerCase() as 'h' | 'd' | 'w'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  const absolute = new Date(text);
  return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(absolute.getTime()) ? absolute : undefined;
}
