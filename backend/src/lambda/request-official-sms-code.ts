import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeRequestOfficialSmsCode } from '../handlers/auth-handlers.js';

export const handler = makeRequestOfficialSmsCode(await servicesFromEnv());
