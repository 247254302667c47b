import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeStartOwnerVerification } from '../handlers/relay-handlers.js';

export const handler = makeStartOwnerVerification(await servicesFromEnv());
