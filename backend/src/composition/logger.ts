import { Logger } from '@aws-lambda-powertools/logger';
import type { BackendConfig } from '../config/backend-config.js';

export function createLogger(config: Pick<BackendConfig, 'logLevel'>, serviceName = 'proxitrace'): Logger {
  return new Logger({ serviceName, logLevel: config.logLevel });
}
