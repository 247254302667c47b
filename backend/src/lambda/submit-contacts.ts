import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeSubmitContacts } from '../handlers/submit-contacts.js';

export const handler = makeSubmitContacts(await servicesFromEnv());
