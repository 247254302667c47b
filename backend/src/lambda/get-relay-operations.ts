import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeGetRelayOperations } from '../handlers/relay-handlers.js';

export const handler = makeGetRelayOperations(await servicesFromEnv());
