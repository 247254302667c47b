import { servicesFromEnv } from '../composition/services-from-env.js';
import { makeIssueVerificationCode } from '../handlers/infection-handlers.js';

export const handler = makeIssueVerificationCode(await servicesFromEnv());
