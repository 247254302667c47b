import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeRefreshSession } from '../handlers/auth-handlers.js';

export const handler = makeRefreshSession(await servicesFromEnv());
