import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeRegisterDedicatedDevice } from '../handlers/relay-handlers.js';

export const handler = makeRegisterDedicatedDevice(await servicesFromEnv());
