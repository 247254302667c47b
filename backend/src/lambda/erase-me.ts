import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeEraseMe } from '../handlers/device-handlers.js';

export const handler = makeEraseMe(await servicesFromEnv());
