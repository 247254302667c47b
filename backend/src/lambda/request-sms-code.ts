import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeRequestSmsCode } from '../handlers/auth-handlers.js';

export const handler = makeRequestSmsCode(await servicesFromEnv());
