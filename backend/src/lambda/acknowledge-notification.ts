import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeAcknowledgeNotification } from '../handlers/device-handlers.js';

export const handler = makeAcknowledgeNotification(await servicesFromEnv());
