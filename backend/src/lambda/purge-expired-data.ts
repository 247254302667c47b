import { awsServicesFromEnv } from '../composition/aws-services-from-env.js';
import { makePurgeExpiredData } from '../handlers/operations-handlers.js';

export const handler = makePurgeExpiredData(await awsServicesFromEnv());
