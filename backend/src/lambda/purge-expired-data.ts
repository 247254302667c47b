import { servicesFromEnv } from '../composition/services-from-env.js';
import { makePurgeExpiredData } from '../handlers/operations-handlers.js';

export const handler = makePurgeExpiredData(await servicesFromEnv());
