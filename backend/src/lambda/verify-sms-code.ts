import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeVerifySmsCode } from '../handlers/auth-handlers.js';

export const handler = makeVerifySmsCode(await servicesFromEnv());
