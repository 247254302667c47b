import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeEnrolOfficialTotp } from '../handlers/auth-handlers.js';

export const handler = makeEnrolOfficialTotp(await servicesFromEnv());
