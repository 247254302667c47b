import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeTraceExposures } from '../handlers/trace-exposures.js';

export const handler = makeTraceExposures(await servicesFromEnv());
