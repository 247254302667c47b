import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeRegisterTokens } from '../handlers/register-tokens.js';

export const handler = makeRegisterTokens(await servicesFromEnv());
