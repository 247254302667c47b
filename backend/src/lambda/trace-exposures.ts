import { awsServicesFromEnv } from '../composition/aws-services-from-env.js';
import { makeTraceExposures } from '../handlers/trace-exposures.js';

export const handler = makeTraceExposures(await awsServicesFromEnv());
