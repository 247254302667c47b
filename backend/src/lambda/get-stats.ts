import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeGetStats } from '../handlers/operations-handlers.js';

export const handler = makeGetStats(await servicesFromEnv());
