import { tokenVerifyingIdentity } from '../composition/aws-parts/identity.js';
import { tokenCipher } from '../composition/aws-parts/token-cipher.js';
import { rateLimits } from '../composition/aws-parts/sign-in.js';
import { devices, queue } from '../composition/aws-parts/stores.js';
import { makeSubmitContacts } from '../handlers/submit-contacts.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/contacts', makeSubmitContacts, { cipher: tokenCipher, identity: tokenVerifyingIdentity, devices, queue, rateLimits });
