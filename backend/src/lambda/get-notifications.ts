import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeGetNotifications } from '../handlers/device-handlers.js';

export const handler = makeGetNotifications(await servicesFromEnv());
