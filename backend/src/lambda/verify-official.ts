import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeVerifyOfficial } from '../handlers/auth-handlers.js';

export const handler = makeVerifyOfficial(await servicesFromEnv());
