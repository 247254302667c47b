import { awsServicesFromEnv } from '../composition/aws-services-from-env.js';
import { makeProcessContactBatches } from '../handlers/process-contact-batches.js';

export const handler = makeProcessContactBatches(await awsServicesFromEnv());
