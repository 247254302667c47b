import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeFallback } from '../handlers/fallback-handler.js';

export const handler = makeFallback(await servicesFromEnv());
