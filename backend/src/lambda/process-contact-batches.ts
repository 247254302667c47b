import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeProcessContactBatches } from '../handlers/process-contact-batches.js';

export const handler = makeProcessContactBatches(await servicesFromEnv());
