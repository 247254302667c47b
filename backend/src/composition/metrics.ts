import { Metrics } from '@aws-lambda-powertools/metrics';
import { PowertoolsMetrics } from '../adapters/metrics/powertools-metrics.js';
import type { BackendConfig } from '../config/backend-config.js';
import { NO_METRICS, type BackendMetrics } from '../ports/metrics.js';

/** EMF metrics through Powertools when a namespace is configured (every Lambda function), else none. */
export function createMetrics(config: Pick<BackendConfig, 'metrics'>): BackendMetrics {
  const { namespace, service } = config.metrics;
  return namespace ? new PowertoolsMetrics(new Metrics({ namespace, serviceName: service })) : NO_METRICS;
}
