import { awsServicesFromEnv } from '../composition/aws-services-from-env.js';
import { makeRunAnalytics } from '../handlers/analytics-handlers.js';

export const handler = makeRunAnalytics(await awsServicesFromEnv());
