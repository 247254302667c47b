import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeRenewBundle } from '../handlers/relay-handlers.js';

export const handler = makeRenewBundle(await servicesFromEnv());
