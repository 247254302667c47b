import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeRelayBatches } from '../handlers/relay-handlers.js';

export const handler = makeRelayBatches(await servicesFromEnv());
