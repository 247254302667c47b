import type { Logger } from '@aws-lambda-powertools/logger';
import type { BackendConfig } from '../config/backend-config.js';
import { ProxitraceLogger, type LogFormat } from '../logging/proxitrace-logger.js';

/** The process's logger: LOG_LEVEL, and LOG_FORMAT (`auto`: readable on a terminal, JSON lines elsewhere). */
export function createLogger(config: Pick<BackendConfig, 'logLevel'> & Partial<Pick<BackendConfig, 'logFormat'>>, serviceName = 'proxitrace'): Logger {
  return new ProxitraceLogger({ serviceName, logLevel: config.logLevel }, resolveFormat(config.logFormat ?? 'auto'));
}

function resolveFormat(format: BackendConfig['logFormat']): LogFormat {
  if (format === 'auto') return process.stdout.isTTY ? 'readable' : 'json';
  return format;
}
