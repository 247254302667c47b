import { makeSubmitContacts } from '../handlers/submit-contacts.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/contacts', makeSubmitContacts);
