import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeReportInfection } from '../handlers/infection-handlers.js';

export const handler = makeReportInfection(await servicesFromEnv());
